// COMPUTE DIGITAL SIGNATURE and GET CHALLENGE.
#include <boost/test/unit_test.hpp>

#include <memory>

#include "emulator/card/card.h"
#include "emulator/card/tests/test_pki.h"

using namespace zairyu::card;
using namespace zairyu::card::testing;

namespace {

constexpr const char* kSelectJpki = "00 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01";

std::unique_ptr<Card> make_card(CardProfile profile = adult_profile(), std::uint64_t seed = 1) {
  return std::make_unique<Card>(std::move(profile), std::make_shared<MemoryCardStateStore>(),
                                std::make_shared<SeededRandomSource>(seed));
}

// 80 2A 00 <p2> Lc <data> 00
Bytes cds(std::uint8_t p2, const Bytes& data) {
  Bytes apdu = {0x80, 0x2A, 0x00, p2, static_cast<std::uint8_t>(data.size())};
  apdu.reserve(data.size() + 6);
  for (std::uint8_t b : data) apdu.push_back(b);
  apdu.push_back(0x00);
  return apdu;
}

Bytes signature_of(const Bytes& response) {
  BOOST_REQUIRE_EQUAL(sw_of(response), "90 00");
  return Bytes(response.begin(), response.end() - 2);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(signature)

BOOST_AUTO_TEST_CASE(auth_key_standard_sequence) {
  auto card = make_card();
  const Bytes digest_info = sha256_digest_info("hello");
  BOOST_TEST(tx(*card, kSelectJpki) == "90 00");
  BOOST_TEST(tx(*card, "00 A4 02 0C 02 00 17") == "90 00");
  BOOST_TEST(sw_of(card->transmit(cds(0x80, digest_info))) == "69 82");  // no PIN yet
  tx(*card, "00 A4 02 0C 02 00 18");
  BOOST_TEST(tx(*card, "00 20 00 80 04 31 32 33 34") == "90 00");
  // The PIN IEF is current: CDS on it is the wrong file type.
  BOOST_TEST(sw_of(card->transmit(cds(0x80, digest_info))) == "69 81");
  tx(*card, "00 A4 02 0C 02 00 17");
  const Bytes sig = signature_of(card->transmit(cds(0x80, digest_info)));
  BOOST_TEST(sig.size() == 256u);
  BOOST_TEST(verify_pkcs1(test_pki().auth.key.get(), digest_info, sig));
  BOOST_TEST(!verify_pkcs1(test_pki().sign.key.get(), digest_info, sig));
  // Deterministic padding: same input, same signature.
  BOOST_TEST(signature_of(card->transmit(cds(0x80, digest_info))) == sig);
}

BOOST_AUTO_TEST_CASE(sign_key_and_sfi_forms) {
  auto card = make_card();
  const Bytes digest_info = sha256_digest_info("contract");
  tx(*card, kSelectJpki);
  BOOST_TEST(sw_of(card->transmit(cds(0x9A, digest_info))) == "69 82");
  // The auth PIN does not open the sign key.
  BOOST_TEST(tx(*card, "00 20 00 98 04 31 32 33 34") == "90 00");
  BOOST_TEST(sw_of(card->transmit(cds(0x9A, digest_info))) == "69 82");
  const Bytes auth_sig = signature_of(card->transmit(cds(0x97, digest_info)));  // [MBE]
  BOOST_TEST(verify_pkcs1(test_pki().auth.key.get(), digest_info, auth_sig));
  BOOST_TEST(tx(*card, "00 20 00 9B 06 41 42 43 31 32 33") == "90 00");
  const Bytes sign_sig = signature_of(card->transmit(cds(0x9A, digest_info)));
  BOOST_TEST(verify_pkcs1(test_pki().sign.key.get(), digest_info, sign_sig));
  tx(*card, "00 A4 02 0C 02 00 1A");
  BOOST_TEST(signature_of(card->transmit(cds(0x80, digest_info))) == sign_sig);
  // SHA-1 DigestInfo as jpki-rs sends it.
  const Bytes sha1_info = from_hex(
      "30 21 30 09 06 05 2B 0E 03 02 1A 05 00 04 14 00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E "
      "0F 10 11 12 13");
  BOOST_TEST(verify_pkcs1(test_pki().sign.key.get(), sha1_info,
                          signature_of(card->transmit(cds(0x80, sha1_info)))));
}

BOOST_AUTO_TEST_CASE(parameter_and_length_errors) {
  auto card = make_card();
  tx(*card, kSelectJpki);
  tx(*card, "00 20 00 98 04 31 32 33 34");
  BOOST_TEST(tx(*card, "80 2A 00 80 03 01 02 03 00") == "69 86");  // no current EF
  BOOST_TEST(tx(*card, "80 2A 01 97 03 01 02 03 00") == "6A 86");  // P1 01 not emulated
  BOOST_TEST(tx(*card, "80 2A 02 97 03 01 02 03 00") == "6A 86");
  BOOST_TEST(tx(*card, "80 2A 00 00 03 01 02 03 00") == "6A 86");
  BOOST_TEST(tx(*card, "80 2A 00 98 03 01 02 03 00") == "6A 88");  // SFI of a PIN
  BOOST_TEST(tx(*card, "80 2A 00 97") == "67 00");                 // no data
  Bytes max(245, 0x11);
  BOOST_TEST(sw_of(card->transmit(cds(0x97, max))) == "90 00");
  Bytes too_long(246, 0x11);
  BOOST_TEST(sw_of(card->transmit(cds(0x97, too_long))) == "67 00");
  BOOST_TEST(tx(*card, "84 2A 00 97 03 01 02 03 00") == "68 82");  // SM proprietary class
}

BOOST_AUTO_TEST_CASE(child_card_has_no_sign_key) {
  auto card = make_card(child_profile());
  tx(*card, kSelectJpki);
  BOOST_TEST(sw_of(card->transmit(cds(0x9A, sha256_digest_info("x")))) == "6A 88");
  tx(*card, "00 20 00 98 04 31 32 33 34");
  BOOST_TEST(sw_of(card->transmit(cds(0x97, sha256_digest_info("x")))) == "90 00");
}

BOOST_AUTO_TEST_CASE(get_challenge) {
  auto a = make_card(adult_profile(), 99);
  auto b = make_card(adult_profile(), 99);
  auto c = make_card(adult_profile(), 100);
  const Bytes ra = a->transmit(from_hex("00 84 00 00 08"));
  BOOST_TEST(ra.size() == 10u);
  BOOST_TEST(sw_of(ra) == "90 00");
  BOOST_TEST(ra == b->transmit(from_hex("00 84 00 00 08")));
  BOOST_TEST(ra != c->transmit(from_hex("00 84 00 00 08")));
  BOOST_TEST(ra != a->transmit(from_hex("00 84 00 00 08")));           // the stream moves on
  BOOST_TEST(a->transmit(from_hex("00 84 00 00 00")).size() == 258u);  // Le 256
  BOOST_TEST(a->transmit(from_hex("00 84 00 00 01")).size() == 3u);
  BOOST_TEST(tx(*a, "00 84 00 00 00 00 08") == "69 85");  // extended [MC]
  BOOST_TEST(tx(*a, "00 84 00 01 08") == "6A 86");
  BOOST_TEST(tx(*a, "00 84 00 00") == "67 00");
  BOOST_TEST(tx(*a, "00 84 00 00 01 00") == "67 00");
}

BOOST_AUTO_TEST_SUITE_END()
