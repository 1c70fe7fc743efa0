// InputHelperCard against a scripted fake transport.
#include <boost/test/unit_test.hpp>

#include "scripted_transport.h"
#include "test_data.h"
#include "zairyu/client/errors.h"
#include "zairyu/client/input_helper_card.h"

using namespace zairyu::client;
using zairyu::client::testing::basic_four;
using zairyu::client::testing::concat;
using zairyu::client::testing::hex;
using zairyu::client::testing::ScriptedTransport;

namespace {

constexpr std::string_view kSelectHelper = "00 A4 04 0C 0A D3 92 10 00 31 00 01 01 04 08";

// Fixture: a scripted transport, a channel and an InputHelperCard.
struct Helper {
  ScriptedTransport t;
  CardChannel channel{t};
  InputHelperCard card{channel};
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(verify_and_read_my_number, Helper) {
  t.expect(kSelectHelper, "90 00");
  t.expect("00 A4 02 0C 02 00 11", "90 00");
  t.expect("00 20 00 80", "63 C3");
  t.expect("00 20 00 80 04 39 38 37 36", "90 00");
  BOOST_TEST(card.verify_pin(SecretString("9876")).ok());

  t.expect("00 A4 02 0C 02 00 01", "90 00");
  t.expect("00 B0 00 00 07", "FF 10 0C 35 33 37 36 90 00");
  t.expect("00 B0 00 07 08", "38 36 36 37 37 31 38 38 90 00");
  BOOST_TEST(card.read_my_number() == "537686677188");

  // A card declaring a huge My Number object is stopped before reading it.
  t.expect("00 A4 02 0C 02 00 01", "90 00");
  t.expect("00 B0 00 00 07", "FF 10 82 FF FF 35 33 90 00");
  BOOST_CHECK_THROW(card.read_my_number(), CardProtocolError);
  BOOST_TEST(t.finished());
}

BOOST_FIXTURE_TEST_CASE(last_try_refused, Helper) {
  t.expect(kSelectHelper, "90 00");
  t.expect("00 A4 02 0C 02 00 11", "90 00");
  t.expect("00 20 00 80", "63 C1");
  BOOST_TEST(
      (card.verify_pin(SecretString("1111")).outcome == VerifyResult::Outcome::kRefusedLastTry));
  BOOST_TEST(t.finished());
}

BOOST_FIXTURE_TEST_CASE(read_basic_four, Helper) {
  const std::string address(300, 'A');  // several READ BINARY chunks
  Bytes file = basic_four("NAME", address, "19851120", '1');
  file.resize(file.size() - 3);  // drop the filler: read_ber_object stops at the object's end
  const std::size_t total = file.size();
  t.expect(kSelectHelper, "90 00");
  t.expect("00 A4 02 0C 02 00 02", "90 00");
  t.expect(hex("00 B0 00 00 07"), concat(Bytes(file.begin(), file.begin() + 7), hex("90 00")));
  std::size_t offset = 7;
  while (offset < total) {
    const std::size_t n = std::min<std::size_t>(total - offset, 256);
    t.expect(Bytes{0x00, 0xB0, static_cast<std::uint8_t>(offset >> 8),
                   static_cast<std::uint8_t>(offset), static_cast<std::uint8_t>(n & 0xFF)},
             concat(Bytes(file.begin() + offset, file.begin() + offset + n), hex("90 00")));
    offset += n;
  }
  const BasicFour b = card.read_basic_four();
  BOOST_TEST(b.name == "NAME");
  BOOST_TEST(b.address == address);
  BOOST_TEST(b.birth_date == "19851120");
  BOOST_TEST((b.sex == Sex::kMale));
  BOOST_TEST(t.finished());
}
