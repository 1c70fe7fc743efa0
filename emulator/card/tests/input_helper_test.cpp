// The card-face input-helper AP: byte-exact encodings and access.
#include <boost/test/unit_test.hpp>

#include <memory>

#include "emulator/card/card.h"
#include "emulator/card/input_helper_encoding.h"
#include "emulator/card/tests/test_pki.h"

using namespace zairyu::card;
using namespace zairyu::card::testing;

namespace {

constexpr const char* kSelectHelper = "00 A4 04 0C 0A D3 92 10 00 31 00 01 01 04 08";

std::size_t offset_at(const Bytes& ef, std::size_t table_index) {
  // Table DF21 08 starts right after the FF20 header.
  const std::size_t header = ef[2] < 0x80 ? 3 : 3 + (ef[2] & 0x7F);
  const std::size_t at = header + 3 + 2 * table_index;
  return (static_cast<std::size_t>(ef[at]) << 8) | ef[at + 1];
}

}  // namespace

BOOST_AUTO_TEST_SUITE(input_helper)

BOOST_AUTO_TEST_CASE(my_number_ef_bytes) {
  // myna-card test bytes: FF 10 0C 35 33 37 36 ... plus FF FF filler.
  BOOST_TEST(to_hex(encode_my_number_ef("537686677188")) ==
             "FF 10 0C 35 33 37 36 38 36 36 37 37 31 38 38 FF FF");
}

BOOST_AUTO_TEST_CASE(basic_four_ef_matches_myna_card_layout) {
  // myna-card test: FF 20 65 DF 21 08 00 0E 00 20 00 59 00 64 DF 22 0F ...: a
  // 15-byte name, a 54-byte address.
  BasicFourInfo info{std::string(15, 'N'), std::string(54, 'A'), "19800101", '2'};
  const Bytes ef = encode_basic_four_ef(info);
  BOOST_TEST(to_hex(Bytes(ef.begin(), ef.begin() + 17)) ==
             "FF 20 65 DF 21 08 00 0E 00 20 00 59 00 64 DF 22 0F");
  BOOST_TEST(ef.size() == 3u + 0x65u);
  BOOST_TEST(to_hex(Bytes(ef.end() - 15, ef.end())) ==
             "DF 24 08 31 39 38 30 30 31 30 31 DF 25 01 32");
}

BOOST_AUTO_TEST_CASE(basic_four_long_form_lengths) {
  BasicFourInfo info{"\xE5\xB1\xB1\xE7\x94\xB0", std::string(300, 'A'), "20000229", '9'};
  const Bytes ef = encode_basic_four_ef(info);
  // Value: 11 + (3+6) + (2+3+300) + 11 + 4 = 340 = 0x154 -> 82 01 54.
  BOOST_TEST(to_hex(Bytes(ef.begin(), ef.begin() + 5)) == "FF 20 82 01 54");
  BOOST_TEST(ef.size() == 5u + 0x154u);
  const std::uint8_t tags[] = {0x22, 0x23, 0x24, 0x25};
  for (std::size_t i = 0; i < 4; ++i) {
    const std::size_t off = offset_at(ef, i);
    BOOST_REQUIRE(off + 1 < ef.size());
    BOOST_TEST(ef[off] == 0xDF);
    BOOST_TEST(ef[off + 1] == tags[i]);
  }
  // The address uses 82 01 2C.
  const std::size_t addr = offset_at(ef, 1);
  BOOST_TEST(to_hex(Bytes(ef.begin() + static_cast<std::ptrdiff_t>(addr),
                          ef.begin() + static_cast<std::ptrdiff_t>(addr) + 5)) == "DF 23 82 01 2C");
  // A 200-byte name: 81 C8.
  info.name = std::string(200, 'N');
  const Bytes ef2 = encode_basic_four_ef(info);
  const std::size_t name = offset_at(ef2, 0);
  BOOST_TEST(ef2[name + 2] == 0x81);
  BOOST_TEST(ef2[name + 3] == 200);
  for (std::size_t i = 0; i < 4; ++i) BOOST_TEST(ef2[offset_at(ef2, i) + 1] == tags[i]);
}

BOOST_AUTO_TEST_CASE(ber_lengths) {
  const std::pair<std::size_t, const char*> cases[] = {
      {0, "00"},         {127, "7F"},         {128, "81 80"},        {255, "81 FF"},
      {256, "82 01 00"}, {65535, "82 FF FF"}, {65536, "83 01 00 00"}};
  for (const auto& [length, hex] : cases) {
    Bytes out;
    append_ber_length(out, length);
    BOOST_TEST(to_hex(out) == hex);
  }
}

BOOST_AUTO_TEST_CASE(read_through_the_card) {
  auto card = std::make_unique<Card>(adult_profile(), std::make_shared<MemoryCardStateStore>(),
                                     std::make_shared<SeededRandomSource>(1));
  BOOST_TEST(tx(*card, kSelectHelper) == "90 00");
  BOOST_TEST(tx(*card, "00 B0 81 00 11") == "69 82");  // needs PIN 0011
  BOOST_TEST(tx(*card, "00 A4 02 0C 02 00 11") == "90 00");
  BOOST_TEST(tx(*card, "00 20 00 80 04 35 36 37 38") == "90 00");
  BOOST_TEST(tx(*card, "00 B0 81 00 11") ==
             "FF 10 0C 31 32 33 34 35 36 37 38 39 30 31 32 FF FF 90 00");
  BOOST_TEST(tx(*card, "00 B0 81 03 0C") == "31 32 33 34 35 36 37 38 39 30 31 32 90 00");  // [MBE]
  const Bytes expected = encode_basic_four_ef(adult_profile().basic_four);
  const Bytes r = card->transmit(from_hex("00 B0 82 00 00"));
  BOOST_TEST(sw_of(r) == "90 00");
  BOOST_TEST(Bytes(r.begin(), r.end() - 2) == expected);
  // The sex field is the last TLV.
  BOOST_TEST(to_hex(Bytes(expected.end() - 4, expected.end())) == "DF 25 01 31");
}

BOOST_AUTO_TEST_SUITE_END()
