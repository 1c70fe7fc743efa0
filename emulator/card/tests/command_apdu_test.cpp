// Command APDU parsing: ISO 7816-4 cases 1-4, short and extended, malformed input.
#include <boost/test/unit_test.hpp>

#include "emulator/card/command_apdu.h"

using zairyu::card::ApduCase;
using zairyu::card::Bytes;
using zairyu::card::from_hex;
using zairyu::card::parse_command_apdu;
using zairyu::card::to_hex;

namespace {

zairyu::card::CommandApdu ok(const Bytes& b) {
  const auto parsed = parse_command_apdu(b);
  BOOST_REQUIRE(parsed.command.has_value());
  return *parsed.command;
}

std::uint16_t error_of(const Bytes& b) {
  const auto parsed = parse_command_apdu(b);
  BOOST_REQUIRE(!parsed.command.has_value());
  return parsed.error_sw;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(command_apdu)

BOOST_AUTO_TEST_CASE(case1) {
  const Bytes b = from_hex("00 20 00 80");
  const auto c = ok(b);
  BOOST_TEST(c.cla == 0x00);
  BOOST_TEST(c.ins == 0x20);
  BOOST_TEST(c.p1 == 0x00);
  BOOST_TEST(c.p2 == 0x80);
  BOOST_TEST(c.data.empty());
  BOOST_TEST(c.le == 0u);
  BOOST_TEST(!c.extended);
  BOOST_TEST(!c.has_le());
  BOOST_TEST(static_cast<int>(c.apdu_case) == 1);
}

BOOST_AUTO_TEST_CASE(case2_short) {
  const Bytes b = from_hex("00 B0 00 00 04");
  auto c = ok(b);
  BOOST_TEST(static_cast<int>(c.apdu_case) == 2);
  BOOST_TEST(c.le == 4u);
  const Bytes b256 = from_hex("00 B0 00 00 00");
  c = ok(b256);
  BOOST_TEST(c.le == 256u);
  BOOST_TEST(!c.extended);
}

BOOST_AUTO_TEST_CASE(case3_short) {
  const Bytes b = from_hex("00 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01");
  const auto c = ok(b);
  BOOST_TEST(static_cast<int>(c.apdu_case) == 3);
  BOOST_TEST(to_hex(c.data) == "D3 92 F0 00 26 01 00 00 00 01");
  BOOST_TEST(c.le == 0u);
}

BOOST_AUTO_TEST_CASE(case4_short) {
  const Bytes b = from_hex("80 2A 00 80 03 01 02 03 00");
  auto c = ok(b);
  BOOST_TEST(static_cast<int>(c.apdu_case) == 4);
  BOOST_TEST(to_hex(c.data) == "01 02 03");
  BOOST_TEST(c.le == 256u);
  const Bytes b2 = from_hex("80 2A 00 80 01 AA 10");
  c = ok(b2);
  BOOST_TEST(c.le == 16u);
}

BOOST_AUTO_TEST_CASE(case2_extended) {
  const Bytes b = from_hex("00 B0 00 00 00 00 00");
  auto c = ok(b);
  BOOST_TEST(static_cast<int>(c.apdu_case) == 2);
  BOOST_TEST(c.extended);
  BOOST_TEST(c.le == 65536u);
  const Bytes b2 = from_hex("00 B0 81 00 00 01 2C");
  c = ok(b2);
  BOOST_TEST(c.le == 300u);
}

BOOST_AUTO_TEST_CASE(case3_extended) {
  Bytes b = from_hex("80 A2 00 00 00 01 00");
  b.resize(b.size() + 256, 0x5A);
  const auto c = ok(b);
  BOOST_TEST(static_cast<int>(c.apdu_case) == 3);
  BOOST_TEST(c.extended);
  BOOST_TEST(c.data.size() == 256u);
  BOOST_TEST(c.le == 0u);
}

BOOST_AUTO_TEST_CASE(case4_extended) {
  Bytes b = from_hex("80 2A 00 80 00 00 03 01 02 03 00 00");
  auto c = ok(b);
  BOOST_TEST(static_cast<int>(c.apdu_case) == 4);
  BOOST_TEST(c.extended);
  BOOST_TEST(to_hex(c.data) == "01 02 03");
  BOOST_TEST(c.le == 65536u);
  b = from_hex("80 2A 00 80 00 00 01 FF 01 00");
  c = ok(b);
  BOOST_TEST(c.le == 256u);
}

BOOST_AUTO_TEST_CASE(malformed_is_wrong_length) {
  for (const char* hex : {
           "",                            // empty
           "00",                          // 1 byte
           "00 A4 04",                    // 3 bytes
           "00 A4 04 0C 0A D3 92",        // Lc larger than the data
           "00 A4 04 0C 02 00 01 02 03",  // two trailing bytes
           "00 B0 00 00 00 00",           // 6 bytes starting an extended field
           "00 B0 00 00 00 00 00 00",     // extended Lc = 0 with a trailing byte
           "00 2A 00 80 00 00 00 00 00",  // extended Lc = 0
           "00 2A 00 80 00 00 02 01",     // extended Lc larger than the data
           "00 2A 00 80 00 00 01 01 00",  // extended case 4 with a 1-byte Le
           "00 B0 8A 04 05 D0",           // [MBE]'s non-standard 6-byte read
       }) {
    BOOST_TEST_CONTEXT(hex) { BOOST_TEST(error_of(from_hex(hex)) == 0x6700); }
  }
}

BOOST_AUTO_TEST_CASE(all_lengths_never_crash) {
  // Every prefix of a long APDU parses or fails cleanly.
  Bytes b = from_hex("00 A4 04 00 00 00 0A D3 92 F0 00 26 01 00 00 00 01 00 00");
  for (std::size_t n = 0; n <= b.size(); ++n) {
    const auto parsed = parse_command_apdu(zairyu::card::ByteView(b.data(), n));
    if (!parsed.command) BOOST_TEST(parsed.error_sw == 0x6700);
  }
}

BOOST_AUTO_TEST_SUITE_END()
