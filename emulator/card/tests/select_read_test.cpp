// ATR, class/instruction checks, SELECT and READ BINARY.
#include <boost/test/unit_test.hpp>

#include <memory>

#include "emulator/card/card.h"
#include "emulator/card/jpki_application.h"
#include "emulator/card/tests/test_pki.h"

using namespace zairyu::card;
using namespace zairyu::card::testing;

namespace {

constexpr const char* kSelectJpki = "00 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01";
constexpr const char* kSelectHelper = "00 A4 04 0C 0A D3 92 10 00 31 00 01 01 04 08";

std::unique_ptr<Card> make_card(CardProfile profile = adult_profile()) {
  return std::make_unique<Card>(std::move(profile), std::make_shared<MemoryCardStateStore>(),
                                std::make_shared<SeededRandomSource>(1));
}

// Reads a certificate like OpenSC's JPKI driver: 4 bytes, size = (b2<<8|b3)+4,
// then 256-byte chunks with the offset form.
Bytes read_like_opensc(Card& card) {
  const Bytes head = card.transmit(from_hex("00 B0 00 00 04"));
  BOOST_REQUIRE_EQUAL(sw_of(head), "90 00");
  const std::size_t size = ((static_cast<std::size_t>(head[2]) << 8) | head[3]) + 4;
  Bytes out;
  while (out.size() < size) {
    const std::size_t chunk = std::min<std::size_t>(256, size - out.size());
    Bytes apdu{0x00, 0xB0, static_cast<std::uint8_t>(out.size() >> 8),
               static_cast<std::uint8_t>(out.size()), static_cast<std::uint8_t>(chunk)};
    const Bytes r = card.transmit(apdu);
    BOOST_REQUIRE_EQUAL(sw_of(r), "90 00");
    BOOST_REQUIRE_EQUAL(r.size() - 2, chunk);
    out.insert(out.end(), r.begin(), r.end() - 2);
  }
  return out;
}

// Reads like jpki/myna read_binary_all: 7 bytes, BER header, then from offset 7
// with Le = min(remaining, FF), or 00 when more than 255 bytes remain.
Bytes read_like_myna(Card& card) {
  const Bytes head = card.transmit(from_hex("00 B0 00 00 07"));
  BOOST_REQUIRE_EQUAL(sw_of(head), "90 00");
  std::size_t header = 2, length = head[1];
  if (head[1] == 0x81) {
    header = 3;
    length = head[2];
  } else if (head[1] == 0x82) {
    header = 4;
    length = (static_cast<std::size_t>(head[2]) << 8) | head[3];
  }
  const std::size_t total = header + length;
  Bytes out(head.begin(), head.end() - 2);
  while (out.size() < total) {
    const std::size_t remaining = total - out.size();
    const std::uint8_t le = remaining > 255 ? 0x00 : static_cast<std::uint8_t>(remaining);
    Bytes apdu{0x00, 0xB0, static_cast<std::uint8_t>(out.size() >> 8),
               static_cast<std::uint8_t>(out.size()), le};
    const Bytes r = card.transmit(apdu);
    BOOST_REQUIRE_EQUAL(sw_of(r), "90 00");
    BOOST_REQUIRE(r.size() > 2);
    out.insert(out.end(), r.begin(), r.end() - 2);
  }
  out.resize(total);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(select_and_read)

BOOST_AUTO_TEST_CASE(atr) {
  auto card = make_card();
  BOOST_TEST(to_hex(card->atr()) == "3B E0 00 FF 81 31 FE 45 14");
}

BOOST_AUTO_TEST_CASE(class_and_instruction_checks) {
  auto card = make_card();
  BOOST_TEST(tx(*card, "01 A4 04 0C 02 00 01") == "68 81");  // logical channel 1
  BOOST_TEST(tx(*card, "03 B0 00 00 04") == "68 81");
  BOOST_TEST(tx(*card, "41 A4 00 00") == "68 81");           // further interindustry channel
  BOOST_TEST(tx(*card, "0C A4 04 0C 02 00 01") == "68 82");  // SM on SELECT
  BOOST_TEST(tx(*card, "0C B0 00 00 04") == "69 FC");        // SM on READ BINARY [MC]
  BOOST_TEST(tx(*card, "08 20 00 80") == "69 FC");           // SM on VERIFY [MC]
  BOOST_TEST(tx(*card, "10 A4 00 00") == "68 84");           // command chaining
  BOOST_TEST(tx(*card, "00 CA 00 42 00") == "6D 00");        // GET DATA not emulated
  BOOST_TEST(tx(*card, "00 2A 00 80 01 00 00") == "6D 00");  // CDS needs CLA 80
  BOOST_TEST(tx(*card, "80 A4 04 0C 02 00 01") == "6D 00");  // no proprietary SELECT
  BOOST_TEST(tx(*card, "A0 A4 00 00") == "6E 00");
  BOOST_TEST(tx(*card, "FF A4 00 00") == "6E 00");
  BOOST_TEST(tx(*card, "00 A4") == "67 00");
  BOOST_TEST(tx(*card, "") == "67 00");
}

BOOST_AUTO_TEST_CASE(select_applications) {
  auto card = make_card();
  BOOST_TEST(tx(*card, kSelectJpki) == "90 00");
  BOOST_TEST(tx(*card, kSelectHelper) == "90 00");
  BOOST_TEST(tx(*card, "00 A4 04 0C 0A D3 92 10 00 31 00 01 01 04 02") == "6A 82");  // 券面AP
  BOOST_TEST(tx(*card, "00 A4 04 0C 07 A0 00 00 01 51 00 00") == "6A 82");           // GP ISD
  BOOST_TEST(tx(*card, "00 A4 04 0C 05 D3 92 F0 00 26") == "6A 82");                 // prefix
  BOOST_TEST(tx(*card, "00 A4 04 04 0A D3 92 F0 00 26 01 00 00 00 01") == "6A 86");
  BOOST_TEST(tx(*card, "00 A4 04 00") == "67 00");
  // P2 00 with Le: FCI template with the DF name.
  BOOST_TEST(tx(*card, "00 A4 04 00 0A D3 92 F0 00 26 01 00 00 00 01 00") ==
             "6F 0C 84 0A D3 92 F0 00 26 01 00 00 00 01 90 00");
}

BOOST_AUTO_TEST_CASE(select_mf) {
  auto card = make_card();
  BOOST_TEST(tx(*card, "00 A4 00 00") == "6A 86");  // right after reset
  BOOST_TEST(tx(*card, "00 A4 00 00 02 3F 00") == "6A 82");
  BOOST_TEST(tx(*card, kSelectJpki) == "90 00");
  BOOST_TEST(tx(*card, "00 A4 02 0C 02 00 0A") == "90 00");
  BOOST_TEST(tx(*card, "00 A4 00 00") == "90 00");  // AP current: DF and EF unchanged
  BOOST_TEST(tx(*card, "00 B0 00 00 02") == "30 82 90 00");
  card->reset();
  BOOST_TEST(tx(*card, "00 A4 00 00") == "6A 86");
}

BOOST_AUTO_TEST_CASE(select_ef) {
  auto card = make_card();
  BOOST_TEST(tx(*card, "00 A4 02 0C 02 00 0A") == "6A 82");  // no DF yet
  BOOST_TEST(tx(*card, kSelectJpki) == "90 00");
  for (const char* fid :
       {"00 01", "00 02", "00 06", "00 08", "00 0A", "00 0B", "00 17", "00 18", "00 1A", "00 1B"}) {
    BOOST_TEST_CONTEXT(fid) {
      BOOST_TEST(tx(*card, std::string("00 A4 02 0C 02 ") + fid) == "90 00");
    }
  }
  BOOST_TEST(tx(*card, "00 A4 02 0C 02 00 05") == "6A 82");
  BOOST_TEST(tx(*card, "00 A4 02 0C 02 3F 00") == "6A 82");
  BOOST_TEST(tx(*card, "00 A4 02 0C 01 0A") == "67 00");
  BOOST_TEST(tx(*card, "00 A4 02 00 02 00 0A 00") == "6A 86");
  BOOST_TEST(tx(*card, "00 A4 09 0C 02 00 0A") == "6A 86");  // OpenSC PR #801
  BOOST_TEST(tx(*card, "00 A4 08 0C 02 00 0A") == "6A 86");
  // The input-helper AP has its own table.
  BOOST_TEST(tx(*card, kSelectHelper) == "90 00");
  BOOST_TEST(tx(*card, "00 A4 02 0C 02 00 0A") == "6A 82");
  BOOST_TEST(tx(*card, "00 A4 02 0C 02 00 11") == "90 00");
}

BOOST_AUTO_TEST_CASE(read_binary_offsets_and_eof) {
  auto card = make_card();
  BOOST_TEST(tx(*card, "00 B0 00 00 04") == "69 86");  // no current EF
  tx(*card, kSelectJpki);
  BOOST_TEST(tx(*card, "00 B0 00 00 04") == "69 86");
  tx(*card, "00 A4 02 0C 02 00 08");
  BOOST_TEST(tx(*card, "00 B0 00 00 03") == "8F 8F 00 90 00");
  BOOST_TEST(tx(*card, "00 B0 00 00 00") == "8F 8F 00 90 00");  // Le 256, short read
  BOOST_TEST(tx(*card, "00 B0 00 01 01") == "8F 90 00");
  BOOST_TEST(tx(*card, "00 B0 00 02 10") == "00 90 00");
  BOOST_TEST(tx(*card, "00 B0 00 03 01") == "6B 00");  // offset at the end
  BOOST_TEST(tx(*card, "00 B0 7F FF 01") == "6B 00");
  BOOST_TEST(tx(*card, "00 B0 00 00") == "67 00");           // no Le
  BOOST_TEST(tx(*card, "00 B0 00 00 01 00 01") == "67 00");  // data field
  BOOST_TEST(tx(*card, "00 B0 00 00 00 00 00") == "67 00");  // extended Le, option off
  // Token EF: 160 bytes, name padded with spaces.
  tx(*card, "00 A4 02 0C 02 00 06");
  const Bytes token = card->transmit(from_hex("00 B0 00 00 00"));
  BOOST_REQUIRE_EQUAL(token.size(), 162u);
  BOOST_TEST(std::string(token.begin(), token.begin() + 32) == "JPKIAPICCTOKEN2                 ");
  BOOST_TEST(std::string(token.begin() + 32, token.end() - 2) == std::string(128, ' '));
}

BOOST_AUTO_TEST_CASE(read_binary_sfi) {
  auto card = make_card();
  BOOST_TEST(tx(*card, "00 B0 8A 00 04") == "6A 82");  // no DF
  tx(*card, kSelectJpki);
  const Bytes& der = test_pki().auth.certificate_der;
  const Bytes head = card->transmit(from_hex("00 B0 8A 00 04"));  // [MBE]
  BOOST_TEST(to_hex(head) == to_hex(Bytes(der.begin(), der.begin() + 4)) + " 90 00");
  // The SFI read made 000A current.
  const Bytes next = card->transmit(from_hex("00 B0 00 04 02"));
  BOOST_TEST(to_hex(next) == to_hex(Bytes(der.begin() + 4, der.begin() + 6)) + " 90 00");
  BOOST_TEST(tx(*card, "00 B0 88 02 01") == "00 90 00");
  BOOST_TEST(tx(*card, "00 B0 8C 00 01") == "6A 82");
  BOOST_TEST(tx(*card, "00 B0 A8 00 01") == "6A 86");  // bits 7-6 of P1 set
  BOOST_TEST(tx(*card, "00 B0 80 00 01") == "6A 86");  // SFI 0
  BOOST_TEST(tx(*card, "00 B0 81 00 04") == "69 82");  // sign cert needs the sign PIN
  BOOST_TEST(tx(*card, "00 B0 98 00 04") == "69 81");  // PIN IEF is not readable
}

BOOST_AUTO_TEST_CASE(read_key_and_pin_iefs) {
  auto card = make_card();
  tx(*card, kSelectJpki);
  tx(*card, "00 A4 02 0C 02 00 17");
  BOOST_TEST(tx(*card, "00 B0 00 00 00") == "69 81");
  tx(*card, "00 A4 02 0C 02 00 18");
  BOOST_TEST(tx(*card, "00 B0 00 00 00") == "69 81");
}

BOOST_AUTO_TEST_CASE(certificates_like_clients) {
  auto card = make_card();
  tx(*card, kSelectJpki);
  const TestPki& pki = test_pki();
  const std::pair<const char*, const Bytes*> files[] = {
      {"00 0A", &pki.auth.certificate_der},
      {"00 0B", &pki.auth_ca.certificate_der},
      {"00 02", &pki.sign_ca.certificate_der},
  };
  for (const auto& [fid, der] : files) {
    BOOST_TEST_CONTEXT(fid) {
      tx(*card, std::string("00 A4 02 0C 02 ") + fid);
      BOOST_TEST(read_like_opensc(*card) == *der);
      BOOST_TEST(read_like_myna(*card) == *der);
    }
  }
  // The sign certificate after the sign PIN.
  tx(*card, "00 A4 02 0C 02 00 01");
  BOOST_TEST(tx(*card, "00 B0 00 00 04") == "69 82");
  tx(*card, "00 A4 02 0C 02 00 1B");
  BOOST_TEST(tx(*card, "00 20 00 80 06 41 42 43 31 32 33") == "90 00");
  tx(*card, "00 A4 02 0C 02 00 01");
  BOOST_TEST(read_like_opensc(*card) == pki.sign.certificate_der);
  BOOST_TEST(read_like_myna(*card) == pki.sign.certificate_der);
}

BOOST_AUTO_TEST_CASE(certificate_filler_and_end) {
  auto card = make_card();
  tx(*card, kSelectJpki);
  tx(*card, "00 A4 02 0C 02 00 0A");
  const Bytes& der = test_pki().auth.certificate_der;
  const std::size_t ef_size = (der.size() + 255) / 256 * 256;
  Bytes all;
  for (std::size_t offset = 0;; offset += 256) {
    Bytes apdu{0x00, 0xB0, static_cast<std::uint8_t>(offset >> 8),
               static_cast<std::uint8_t>(offset), 0x00};
    const Bytes r = card->transmit(apdu);
    if (sw_of(r) == "6B 00") break;
    BOOST_REQUIRE_EQUAL(sw_of(r), "90 00");
    all.insert(all.end(), r.begin(), r.end() - 2);
  }
  BOOST_TEST(all.size() == ef_size);
  BOOST_TEST(Bytes(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(der.size())) == der);
  for (std::size_t i = der.size(); i < all.size(); ++i) BOOST_TEST(all[i] == 0xFF);
}

BOOST_AUTO_TEST_CASE(options_eof_6282_and_extended) {
  CardProfile profile = adult_profile();
  profile.options.eof_answers_6282 = true;
  profile.options.extended_length = true;
  profile.options.certificate_ef_size_multiple = 1;
  auto card = make_card(profile);
  tx(*card, kSelectJpki);
  tx(*card, "00 A4 02 0C 02 00 08");
  BOOST_TEST(tx(*card, "00 B0 00 03 01") == "62 82");
  // [AOKI] whole-file read with extended Le.
  const Bytes r = card->transmit(from_hex("00 B0 8A 00 00 00 00"));
  BOOST_TEST(sw_of(r) == "90 00");
  BOOST_TEST(Bytes(r.begin(), r.end() - 2) == test_pki().auth.certificate_der);
}

BOOST_AUTO_TEST_CASE(security_cleared_on_df_change_and_reset) {
  auto card = make_card();
  tx(*card, kSelectJpki);
  tx(*card, "00 A4 02 0C 02 00 1B");
  BOOST_TEST(tx(*card, "00 20 00 80 06 41 42 43 31 32 33") == "90 00");
  BOOST_TEST(sw_of(card->transmit(from_hex("00 B0 81 00 04"))) == "90 00");
  // Re-selecting the same AP is not leaving it.
  tx(*card, kSelectJpki);
  BOOST_TEST(sw_of(card->transmit(from_hex("00 B0 81 00 04"))) == "90 00");
  tx(*card, kSelectHelper);
  tx(*card, kSelectJpki);
  BOOST_TEST(tx(*card, "00 B0 81 00 04") == "69 82");
  // Without the option the state survives the AP change, but never a reset.
  CardProfile profile = adult_profile();
  profile.options.clear_security_on_df_change = false;
  card = make_card(profile);
  tx(*card, kSelectJpki);
  BOOST_TEST(tx(*card, "00 20 00 9B 06 41 42 43 31 32 33") == "90 00");
  tx(*card, kSelectHelper);
  tx(*card, kSelectJpki);
  BOOST_TEST(sw_of(card->transmit(from_hex("00 B0 81 00 04"))) == "90 00");
  card->reset();
  tx(*card, kSelectJpki);
  BOOST_TEST(tx(*card, "00 B0 81 00 04") == "69 82");
}

BOOST_AUTO_TEST_CASE(child_card_has_no_sign_objects) {
  auto card = make_card(child_profile());
  tx(*card, kSelectJpki);
  BOOST_TEST(tx(*card, "00 A4 02 0C 02 00 01") == "6A 82");
  BOOST_TEST(tx(*card, "00 A4 02 0C 02 00 1A") == "6A 82");
  BOOST_TEST(tx(*card, "00 A4 02 0C 02 00 1B") == "6A 82");
  BOOST_TEST(tx(*card, "00 B0 81 00 04") == "6A 82");
  BOOST_TEST(tx(*card, "00 20 00 9B") == "6A 88");
  BOOST_TEST(tx(*card, "00 B0 88 00 03") == "00 8F 00 90 00");
  BOOST_TEST(tx(*card, "00 A4 02 0C 02 00 0A") == "90 00");
}

BOOST_AUTO_TEST_CASE(profile_errors_throw_at_construction) {
  CardProfile profile = adult_profile();
  profile.sign_private_key_pem.reset();
  BOOST_CHECK_THROW(make_card(profile), std::invalid_argument);
  profile = adult_profile();
  profile.auth_private_key_pem = "-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n";
  BOOST_CHECK_THROW(make_card(profile), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(fuzz_like_inputs_always_answer) {
  auto card = make_card();
  SeededRandomSource rng(7);
  for (int i = 0; i < 20000; ++i) {
    Bytes apdu = rng.bytes(rng.bytes(1)[0] % 24);
    if (apdu.size() >= 2 && (i % 3) == 0) apdu[0] = 0x00;
    if (apdu.size() >= 2 && (i % 5) == 0) apdu[1] = 0xB0;
    const Bytes r = card->transmit(apdu);
    BOOST_REQUIRE(r.size() >= 2);
    if ((i % 97) == 0) card->reset();
    if ((i % 13) == 0) tx(*card, kSelectJpki);
  }
}

BOOST_AUTO_TEST_SUITE_END()
