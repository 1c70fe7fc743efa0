// Pure parsers on byte-exact vectors from the domain notes and hostile input.
#include <boost/test/unit_test.hpp>

#include "scripted_transport.h"
#include "test_data.h"
#include "zairyu/client/errors.h"
#include "zairyu/client/parsers.h"

using namespace zairyu::client;
using zairyu::client::testing::basic_four;
using zairyu::client::testing::concat;
using zairyu::client::testing::hex;

namespace {

// Expects CardProtocolError whose message contains `fragment`.
template <typename F>
void expect_protocol_error(F&& f, const std::string& fragment) {
  try {
    f();
    BOOST_ERROR("no CardProtocolError; wanted one about: " << fragment);
  } catch (const CardProtocolError& e) {
    BOOST_TEST(std::string(e.what()).find(fragment) != std::string::npos,
               "message '" << e.what() << "' lacks '" << fragment << "'");
  }
}

const std::string kName =
    "\xE9\xBB\x92\xE7\x94\xB0\xE3\x80\x80\xE8\x8A\xB1\xE5\xAD\x90";  // 黒田　花子

}  // namespace

BOOST_AUTO_TEST_SUITE(ber_header)

BOOST_AUTO_TEST_CASE(short_and_long_forms) {
  auto h = parse_der_length_header(hex("30 82 03 9C 30 82 03"));
  BOOST_TEST(h.tag == 0x30u);
  BOOST_TEST(h.constructed);
  BOOST_TEST(h.header_length == 4u);
  BOOST_TEST(h.content_length == 0x39Cu);
  BOOST_TEST(h.total_length() == 0x3A0u);

  h = parse_der_length_header(hex("FF 10 0C 35"));
  BOOST_TEST(h.tag == 0xFF10u);
  BOOST_TEST(h.header_length == 3u);
  BOOST_TEST(h.content_length == 12u);

  h = parse_der_length_header(hex("DF 21 81 C8"));
  BOOST_TEST(h.tag == 0xDF21u);
  BOOST_TEST(!h.constructed);
  BOOST_TEST(h.content_length == 0xC8u);

  h = parse_der_length_header(hex("30 83 01 00 00"));
  BOOST_TEST(h.content_length == 0x10000u);
  BOOST_TEST(h.header_length == 5u);
}

BOOST_AUTO_TEST_CASE(hostile_headers) {
  expect_protocol_error([] { parse_der_length_header({}); }, "no data");
  expect_protocol_error([] { parse_der_length_header(hex("30")); }, "length missing");
  expect_protocol_error([] { parse_der_length_header(hex("30 80")); }, "indefinite");
  expect_protocol_error([] { parse_der_length_header(hex("30 84 FF FF FF FF")); },
                        "4 bytes is too long");
  expect_protocol_error([] { parse_der_length_header(hex("30 FF 00")); }, "127 bytes is too long");
  expect_protocol_error([] { parse_der_length_header(hex("30 82 03")); }, "length cut short");
  expect_protocol_error([] { parse_der_length_header(hex("FF")); }, "tag cut short");
  expect_protocol_error([] { parse_der_length_header(hex("FF 81 81 81 01")); },
                        "tag longer than 3 bytes");
}

BOOST_AUTO_TEST_CASE(tlv_sequence_bounds) {
  const auto tlvs = parse_tlv_sequence(hex("DF 22 02 41 42 DF 25 01 31"), 10);
  BOOST_TEST_REQUIRE(tlvs.size() == 2u);
  BOOST_TEST(tlvs[0].offset == 10u);
  BOOST_TEST(tlvs[1].offset == 15u);
  BOOST_TEST(tlvs[1].value.size() == 1u);
  expect_protocol_error([] { parse_tlv_sequence(hex("DF 22 05 41 42")); }, "runs past the end");
  expect_protocol_error([] { parse_tlv_sequence(hex("DF 22 83 FF FF FF 41")); },
                        "runs past the end");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(my_number)

BOOST_AUTO_TEST_CASE(domain_vector) {
  // myna-card test bytes, with the FF filler the physical 17-byte EF holds.
  BOOST_TEST(parse_my_number_ef(hex("FF 10 0C 35 33 37 36 38 36 36 37 37 31 38 38 FF FF")) ==
             "537686677188");
  BOOST_TEST(parse_my_number_ef(hex("FF 10 0C 35 33 37 36 38 36 36 37 37 31 38 38")) ==
             "537686677188");
}

BOOST_AUTO_TEST_CASE(check_digits) {
  BOOST_TEST(is_valid_my_number("537686677188"));
  BOOST_TEST(is_valid_my_number("123456789018"));  // remainder 3 -> 11 - 3 = 8
  BOOST_TEST(is_valid_my_number("123456789000"));  // remainder 1 -> 0
  BOOST_TEST(!is_valid_my_number("537686677187"));
  BOOST_TEST(!is_valid_my_number("53768667718"));
  BOOST_TEST(!is_valid_my_number("5376866771A8"));
  BOOST_TEST(is_valid_my_number("000000000000"));
}

BOOST_AUTO_TEST_CASE(hostile) {
  expect_protocol_error(
      [] { parse_my_number_ef(hex("FF 10 0C 35 33 37 36 38 36 36 37 37 31 38 37")); },
      "check digit");
  expect_protocol_error(
      [] { parse_my_number_ef(hex("FF 10 0C 35 33 37 36 38 36 36 37 37 31 38")); }, "cut short");
  expect_protocol_error(
      [] { parse_my_number_ef(hex("FF 10 0B 35 33 37 36 38 36 36 37 37 31 38")); }, "expected 12");
  expect_protocol_error(
      [] { parse_my_number_ef(hex("FF 20 0C 35 33 37 36 38 36 36 37 37 31 38 38")); },
      "expected tag FF10");
  expect_protocol_error(
      [] { parse_my_number_ef(hex("FF 10 0C 35 33 37 36 38 36 36 37 37 31 2F 38")); },
      "not 12 ASCII digits");
  expect_protocol_error([] { parse_my_number_ef(hex("FF 10 83 FF FF FF")); }, "expected 12");
  expect_protocol_error([] { parse_my_number_ef(hex("FF FF FF FF")); }, "tag longer");
  expect_protocol_error([] { parse_my_number_ef({}); }, "no data");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(basic_four_parse)

BOOST_AUTO_TEST_CASE(domain_prefix_layout) {
  // The myna-card vector begins FF 20 65 DF 21 08 00 0E 00 20 ... DF 22 0F E9 BB 92:
  // a 15-byte name at offset 0x0E. Rebuild that layout and parse it.
  const std::string address = "\xE6\x9D\xB1\xE4\xBA\xAC\xE9\x83\xBD";  // 東京都
  const Bytes ef = basic_four(kName, address, "19900102", '2');
  BOOST_TEST(to_hex(Bytes(ef.begin(), ef.begin() + 10)) == "FF 20 38 DF 21 08 00 0E 00 20");
  const BasicFour b = parse_basic_four_ef(ef);
  BOOST_TEST(b.name == kName);
  BOOST_TEST(b.address == address);
  BOOST_TEST(b.birth_date == "19900102");
  BOOST_TEST((b.sex == Sex::kFemale));
}

BOOST_AUTO_TEST_CASE(long_form_and_no_table) {
  const std::string address(150, 'A');  // pushes DF23 and FF20 into long form (81 xx)
  Bytes ef = basic_four("X", address, "20001231", '1');
  BOOST_TEST(ef[2] == 0x81);
  BOOST_TEST((parse_basic_four_ef(ef).sex == Sex::kMale));
  ef = basic_four("X", "Y", "20001231", '9', false);
  BOOST_TEST((parse_basic_four_ef(ef).sex == Sex::kNotApplicable));
}

BOOST_AUTO_TEST_CASE(hostile) {
  Bytes good = basic_four(kName, "Z", "19900102", '2');
  Bytes bad = good;
  bad[7] ^= 1;  // DF21's first offset
  expect_protocol_error([&] { parse_basic_four_ef(bad); }, "DF21 gives offset");
  bad = good;
  bad[2] = 0x7F;  // FF20 longer than the file
  expect_protocol_error([&] { parse_basic_four_ef(bad); }, "runs past the end");
  expect_protocol_error([] { parse_basic_four_ef(hex("FF 20 84 00 00 00 10")); }, "too long");
  expect_protocol_error([] { parse_basic_four_ef(hex("FF 20 80 00 00")); }, "indefinite");
  expect_protocol_error([] { parse_basic_four_ef(hex("FF 20")); }, "length missing");
  expect_protocol_error([] { parse_basic_four_ef(hex("FF 20 00")); }, "DF22 missing");
  expect_protocol_error([] { parse_basic_four_ef(basic_four("\xC0\xAF", "Z", "19900102", '1')); },
                        "name (DF22)");
  expect_protocol_error([] { parse_basic_four_ef(basic_four("A\nB", "Z", "19900102", '1')); },
                        "name (DF22)");
  expect_protocol_error([] { parse_basic_four_ef(basic_four("A", "Z", "19901302", '1')); },
                        "birth date");
  expect_protocol_error([] { parse_basic_four_ef(basic_four("A", "Z", "1990010", '1')); },
                        "birth date");
  expect_protocol_error([] { parse_basic_four_ef(basic_four("A", "Z", "19900102", '3')); },
                        "sex (DF25)");
  // A duplicated field inside the template.
  expect_protocol_error(
      [] { parse_basic_four_ef(hex("FF 20 0C DF 22 01 41 DF 22 01 41 DF 25 01 31")); },
      "appears twice");
  // A child whose length runs past the template end (but not past the file).
  expect_protocol_error([] { parse_basic_four_ef(hex("FF 20 04 DF 22 05 41 42 43 44 45")); },
                        "runs past the end");
}

BOOST_AUTO_TEST_SUITE_END()
