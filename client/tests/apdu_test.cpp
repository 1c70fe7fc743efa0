// Apdu encoding, ResponseApdu, ISO chaining (61 xx / 6C xx), SecretString.
#include <boost/test/unit_test.hpp>

#include <deque>

#include "scripted_transport.h"
#include "zairyu/client/apdu.h"
#include "zairyu/client/errors.h"
#include "zairyu/client/pcsc_transport.h"
#include "zairyu/client/secret_string.h"
#include "zairyu/client/transport.h"

using namespace zairyu::client;
using zairyu::client::testing::concat;
using zairyu::client::testing::hex;

namespace {

// A raw link answering from a queue and logging what it was sent.
struct RawScript {
  std::deque<Bytes> answers;
  std::vector<std::string> sent;
  RawTransmit fn() {
    return [this](ByteView command) {
      sent.push_back(to_hex(command));
      if (answers.empty()) throw std::logic_error("raw script exhausted");
      Bytes a = answers.front();
      answers.pop_front();
      return a;
    };
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(apdu)

BOOST_AUTO_TEST_CASE(cases_1_to_4) {
  BOOST_TEST(to_hex(Apdu(0x00, 0x20, 0x00, 0x80).encode()) == "00 20 00 80");
  BOOST_TEST(to_hex(Apdu(0x00, 0xB0, 0x00, 0x00, {}, 7).encode()) == "00 B0 00 00 07");
  BOOST_TEST(to_hex(Apdu(0x00, 0xB0, 0x01, 0x07, {}, 256).encode()) == "00 B0 01 07 00");
  BOOST_TEST(to_hex(Apdu(0x00, 0xA4, 0x02, 0x0C, hex("00 1B")).encode()) == "00 A4 02 0C 02 00 1B");
  BOOST_TEST(to_hex(Apdu(0x80, 0x2A, 0x00, 0x80, hex("01 02"), 256).encode()) ==
             "80 2A 00 80 02 01 02 00");
}

BOOST_AUTO_TEST_CASE(limits) {
  BOOST_CHECK_THROW(Apdu(0, 0xB0, 0, 0, {}, 0), std::invalid_argument);
  BOOST_CHECK_THROW(Apdu(0, 0xB0, 0, 0, {}, 257), std::invalid_argument);
  BOOST_CHECK_THROW(Apdu(0, 0xD6, 0, 0, Bytes(256, 1)), std::invalid_argument);
  BOOST_CHECK_NO_THROW(Apdu(0, 0xD6, 0, 0, Bytes(255, 1)));
}

BOOST_AUTO_TEST_CASE(masking) {
  const Apdu verify = Apdu(0x00, 0x20, 0x00, 0x80, hex("31 32 33 34")).sensitive();
  BOOST_TEST(verify.is_sensitive());
  BOOST_TEST(to_hex(verify.encode_masked()) == "00 20 00 80 04 2A 2A 2A 2A");
  BOOST_TEST(to_hex(verify.encode()) == "00 20 00 80 04 31 32 33 34");
  const Apdu plain(0x00, 0xA4, 0x02, 0x0C, hex("00 18"));
  BOOST_TEST(to_hex(plain.encode_masked()) == "00 A4 02 0C 02 00 18");
}

BOOST_AUTO_TEST_CASE(response) {
  const ResponseApdu r(hex("01 02 63 C2"));
  BOOST_TEST(r.data().size() == 2u);
  BOOST_TEST(r.sw() == 0x63C2);
  BOOST_TEST(!r.ok());
  BOOST_TEST(ResponseApdu(hex("90 00")).ok());
  BOOST_CHECK_THROW(ResponseApdu(hex("90")), CardProtocolError);
  BOOST_CHECK_THROW(ResponseApdu(Bytes{}), CardProtocolError);
}

BOOST_AUTO_TEST_CASE(status_words_and_names) {
  BOOST_TEST(describe_status_word(0x6982) == "security status not satisfied");
  BOOST_TEST(describe_status_word(0x63C2) == "verification failed, 2 tries left");
  const CardStatusError e("READ BINARY", 0x6B00);
  BOOST_TEST(std::string(e.what()) == "READ BINARY: card answered 6B00 (offset outside the file)");
  BOOST_TEST(pcsc_error_name(0x80100069L) == "SCARD_W_REMOVED_CARD");
  BOOST_TEST(pcsc_error_name(0x8010000CL) == "SCARD_E_NO_SMARTCARD");
  BOOST_TEST(pcsc_error_name(0x80100999L) == "0x80100999");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(iso_chaining)

BOOST_AUTO_TEST_CASE(plain_answer_passes_through) {
  RawScript s{{hex("01 02 90 00")}, {}};
  BOOST_TEST(to_hex(transmit_resolving_iso_chaining(hex("00 B0 00 00 02"), s.fn())) ==
             "01 02 90 00");
  BOOST_TEST(s.sent.size() == 1u);
}

BOOST_AUTO_TEST_CASE(get_response_joins_parts) {
  RawScript s{{hex("61 03"), hex("AA BB CC 61 02"), hex("DD EE 90 00")}, {}};
  const Bytes r = transmit_resolving_iso_chaining(hex("80 2A 00 80 02 01 02 00"), s.fn());
  BOOST_TEST(to_hex(r) == "AA BB CC DD EE 90 00");
  BOOST_TEST_REQUIRE(s.sent.size() == 3u);
  BOOST_TEST(s.sent[1] == "00 C0 00 00 03");
  BOOST_TEST(s.sent[2] == "00 C0 00 00 02");
}

BOOST_AUTO_TEST_CASE(wrong_le_is_resent_once) {
  RawScript s{{hex("6C 05"), hex("01 02 03 04 05 90 00")}, {}};
  BOOST_TEST(to_hex(transmit_resolving_iso_chaining(hex("00 B0 00 00 00"), s.fn())) ==
             "01 02 03 04 05 90 00");
  BOOST_TEST(s.sent[1] == "00 B0 00 00 05");
  // Case 4: the trailing Le byte is replaced.
  RawScript s4{{hex("6C 10"), hex("6C 11")}, {}};
  BOOST_TEST(to_hex(transmit_resolving_iso_chaining(hex("80 2A 00 80 01 AA 00"), s4.fn())) ==
             "6C 11");  // a second 6C is returned as is, not chased
  BOOST_TEST(s4.sent[1] == "80 2A 00 80 01 AA 10");
}

BOOST_AUTO_TEST_CASE(wrong_le_then_get_response) {
  RawScript s{{hex("6C 02"), hex("61 01"), hex("77 90 00")}, {}};
  BOOST_TEST(to_hex(transmit_resolving_iso_chaining(hex("00 CA 00 F0 00"), s.fn())) == "77 90 00");
  BOOST_TEST(s.sent.size() == 3u);
}

BOOST_AUTO_TEST_CASE(no_le_is_never_resent) {
  // 6C to a VERIFY (case 3) must not make the client send the PIN again.
  RawScript s{{hex("6C 04")}, {}};
  BOOST_TEST(to_hex(transmit_resolving_iso_chaining(hex("00 20 00 80 04 31 32 33 34"), s.fn())) ==
             "6C 04");
  BOOST_TEST(s.sent.size() == 1u);
}

BOOST_AUTO_TEST_CASE(hostile_chains_are_bounded) {
  RawScript endless;
  for (int i = 0; i < 100; ++i) endless.answers.push_back(hex("61 00"));
  BOOST_CHECK_THROW(transmit_resolving_iso_chaining(hex("00 B0 00 00 00"), endless.fn()),
                    CardProtocolError);
  BOOST_TEST(endless.sent.size() == 65u);

  RawScript big;
  for (int i = 0; i < 64; ++i) big.answers.push_back(concat(Bytes(1100, 0x41), hex("61 00")));
  BOOST_CHECK_THROW(transmit_resolving_iso_chaining(hex("00 B0 00 00 00"), big.fn()),
                    CardProtocolError);

  RawScript shorty{{hex("61 02"), hex("90")}, {}};
  BOOST_CHECK_THROW(transmit_resolving_iso_chaining(hex("00 B0 00 00 00"), shorty.fn()),
                    CardProtocolError);
  RawScript empty{{Bytes{}}, {}};
  BOOST_CHECK_THROW(transmit_resolving_iso_chaining(hex("00 B0 00 00 00"), empty.fn()),
                    CardProtocolError);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(secret_string)

BOOST_AUTO_TEST_CASE(move_leaves_source_empty) {
  SecretString a("1234");
  BOOST_TEST(a.size() == 4u);
  SecretString b(std::move(a));
  BOOST_TEST(a.empty());  // NOLINT(bugprone-use-after-move): checking the moved-from state
  BOOST_TEST(b.reveal() == "1234");
  SecretString c;
  c = std::move(b);
  BOOST_TEST(b.empty());  // NOLINT(bugprone-use-after-move)
  BOOST_TEST(c.reveal() == "1234");
}

BOOST_AUTO_TEST_SUITE_END()
