// Pure parsers for data read from a card. No I/O; every length is checked
// against the input, so they are safe on hostile bytes (and fuzzed). They throw
// CardProtocolError naming what was wrong.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "zairyu/client/bytes.h"

namespace zairyu::client {

// A BER tag and definite length at the start of some bytes.
struct BerHeader {
  std::uint32_t tag = 0;  // tag bytes packed big-endian: 0x30, 0xFF10, 0xDF21
  bool constructed = false;
  std::size_t header_length = 0;   // tag + length bytes
  std::size_t content_length = 0;  // value bytes that follow the header
  std::size_t total_length() const { return header_length + content_length; }
};

// Parses a tag (at most 3 bytes) and a definite length (short form, or long
// form with 1..3 length bytes). Rejects the indefinite form (80), 4+ length
// bytes and a header cut short. The value itself need not be present.
BerHeader parse_der_length_header(ByteView bytes);

// One TLV inside a buffer; `offset` is where its tag starts in that buffer.
struct Tlv {
  std::uint32_t tag = 0;
  std::size_t offset = 0;
  ByteView value;
};

// Splits `bytes` into consecutive TLVs, each of which must fit entirely.
// `base_offset` is added to the reported offsets.
std::vector<Tlv> parse_tlv_sequence(ByteView bytes, std::size_t base_offset = 0);

// Input-helper AP EF 0001: FF 10 0C <12 ASCII digits> (filler may follow).
// Returns the 12 digits after checking them and the check digit.
std::string parse_my_number_ef(ByteView bytes);

// True when `number` is 12 digits whose last is the My Number check digit.
bool is_valid_my_number(std::string_view number);

// ISO 5218 sex codes as the card stores them.
enum class Sex { kMale /*'1'*/, kFemale /*'2'*/, kNotApplicable /*'9'*/ };

// The basic four information (基本4情報) of the input-helper AP.
struct BasicFour {
  std::string name;        // UTF-8; family and given name separated by U+3000
  std::string address;     // UTF-8
  std::string birth_date;  // YYYYMMDD, Gregorian
  Sex sex = Sex::kNotApplicable;
};

// Input-helper AP EF 0002: FF 20 { [DF 21 offsets] DF 22 name, DF 23 address,
// DF 24 birth date, DF 25 sex } (filler may follow). When the DF 21 offset
// table is present, each offset must equal the file offset of its tag; the
// parser locates fields itself and only checks the table.
BasicFour parse_basic_four_ef(ByteView bytes);

}  // namespace zairyu::client
