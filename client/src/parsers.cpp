#include "zairyu/client/parsers.h"

#include <fmt/format.h>

#include <array>
#include <optional>

#include "text_checks.h"
#include "zairyu/client/errors.h"

namespace zairyu::client {

namespace {

constexpr std::size_t kMaxTagBytes = 3;
constexpr std::size_t kMaxLengthBytes = 3;  // up to 16 MiB; the card has no more

std::string tag_name(std::uint32_t tag) { return fmt::format("{:X}", tag); }

bool all_digits(ByteView s) {
  for (auto c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int two_digits(ByteView s, std::size_t at) { return (s[at] - '0') * 10 + (s[at + 1] - '0'); }

}  // namespace

BerHeader parse_der_length_header(ByteView bytes) {
  if (bytes.empty()) throw CardProtocolError("BER header: no data");
  BerHeader h;
  std::size_t pos = 0;
  h.constructed = (bytes[0] & 0x20) != 0;
  h.tag = bytes[pos++];
  if ((h.tag & 0x1F) == 0x1F) {
    // High tag number: continuation bytes while bit 8 is set.
    while (true) {
      if (pos == bytes.size()) throw CardProtocolError("BER header: tag cut short");
      if (pos == kMaxTagBytes) throw CardProtocolError("BER header: tag longer than 3 bytes");
      const std::uint8_t b = bytes[pos++];
      h.tag = h.tag << 8 | b;
      if ((b & 0x80) == 0) break;
    }
  }
  if (pos == bytes.size()) throw CardProtocolError("BER header: length missing");
  const std::uint8_t first = bytes[pos++];
  if (first < 0x80) {
    h.content_length = first;
  } else if (first == 0x80) {
    throw CardProtocolError("BER header: indefinite length (80) is not allowed");
  } else {
    const std::size_t count = first & 0x7F;
    if (count > kMaxLengthBytes) {
      throw CardProtocolError(
          fmt::format("BER header: length field of {} bytes is too long (at most 3)", count));
    }
    if (bytes.size() - pos < count) throw CardProtocolError("BER header: length cut short");
    for (std::size_t k = 0; k < count; ++k) h.content_length = h.content_length << 8 | bytes[pos++];
  }
  h.header_length = pos;
  return h;
}

std::vector<Tlv> parse_tlv_sequence(ByteView bytes, std::size_t base_offset) {
  std::vector<Tlv> out;
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    const BerHeader h = parse_der_length_header(bytes.subspan(pos));
    const std::size_t left = bytes.size() - pos - h.header_length;
    if (h.content_length > left) {
      throw CardProtocolError(
          fmt::format("TLV {} at offset {}: length {} runs past the end ({} left)", tag_name(h.tag),
                      base_offset + pos, h.content_length, left));
    }
    out.push_back(
        Tlv{h.tag, base_offset + pos, bytes.subspan(pos + h.header_length, h.content_length)});
    pos += h.total_length();
  }
  return out;
}

bool is_valid_my_number(std::string_view number) {
  if (number.size() != 12) return false;
  for (char c : number) {
    if (c < '0' || c > '9') return false;
  }
  // Check digit (個人番号 rule): weights 2..7 then 2..6 from the digit left of
  // the check digit leftwards; remainder <= 1 gives 0, else 11 - remainder.
  int sum = 0;
  for (int n = 1; n <= 11; ++n) {
    const int digit = number[11 - n] - '0';
    const int weight = n <= 6 ? n + 1 : n - 5;
    sum += digit * weight;
  }
  const int remainder = sum % 11;
  const int check = remainder <= 1 ? 0 : 11 - remainder;
  return number[11] - '0' == check;
}

std::string parse_my_number_ef(ByteView bytes) {
  const BerHeader h = parse_der_length_header(bytes);
  if (h.tag != 0xFF10) {
    throw CardProtocolError(
        fmt::format("My Number EF: expected tag FF10, found {}", tag_name(h.tag)));
  }
  if (h.content_length != 12) {
    throw CardProtocolError(
        fmt::format("My Number EF: value is {} bytes, expected 12", h.content_length));
  }
  if (bytes.size() < h.total_length()) throw CardProtocolError("My Number EF: value cut short");
  const ByteView value = bytes.subspan(h.header_length, 12);
  if (!all_digits(value)) throw CardProtocolError("My Number EF: value is not 12 ASCII digits");
  std::string number(value.begin(), value.end());
  if (!is_valid_my_number(number)) throw CardProtocolError("My Number EF: check digit is wrong");
  return number;
}

BasicFour parse_basic_four_ef(ByteView bytes) {
  const BerHeader h = parse_der_length_header(bytes);
  if (h.tag != 0xFF20) {
    throw CardProtocolError(
        fmt::format("basic four EF: expected tag FF20, found {}", tag_name(h.tag)));
  }
  if (bytes.size() - h.header_length < h.content_length) {
    throw CardProtocolError(fmt::format("basic four EF: FF20 length {} runs past the end ({} left)",
                                        h.content_length, bytes.size() - h.header_length));
  }
  const auto children =
      parse_tlv_sequence(bytes.subspan(h.header_length, h.content_length), h.header_length);

  std::optional<ByteView> table;
  std::array<std::optional<Tlv>, 4> fields;  // DF22..DF25
  for (const Tlv& t : children) {
    if (t.tag == 0xDF21) {
      if (table) throw CardProtocolError("basic four EF: DF21 appears twice");
      if (t.value.size() != 8) {
        throw CardProtocolError(fmt::format(
            "basic four EF: DF21 offset table is {} bytes, expected 8", t.value.size()));
      }
      table = t.value;
    } else if (t.tag >= 0xDF22 && t.tag <= 0xDF25) {
      auto& slot = fields[t.tag - 0xDF22];
      if (slot)
        throw CardProtocolError(fmt::format("basic four EF: {} appears twice", tag_name(t.tag)));
      slot = t;
    }  // Other tags: not ours to interpret; ignored.
  }
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (!fields[i]) {
      throw CardProtocolError(fmt::format("basic four EF: {} missing", tag_name(0xDF22 + i)));
    }
  }
  if (table) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
      const std::size_t declared = (*table)[2 * i] << 8 | (*table)[2 * i + 1];
      if (declared != fields[i]->offset) {
        throw CardProtocolError(
            fmt::format("basic four EF: DF21 gives offset {} for {}, but it is at {}", declared,
                        tag_name(0xDF22 + i), fields[i]->offset));
      }
    }
  }

  BasicFour out;
  const ByteView name = fields[0]->value, address = fields[1]->value, birth = fields[2]->value,
                 sex = fields[3]->value;
  if (name.empty() || !detail::is_clean_utf8(name)) {
    throw CardProtocolError("basic four EF: name (DF22) is empty or not clean UTF-8");
  }
  if (address.empty() || !detail::is_clean_utf8(address)) {
    throw CardProtocolError("basic four EF: address (DF23) is empty or not clean UTF-8");
  }
  if (birth.size() != 8 || !all_digits(birth) || two_digits(birth, 4) < 1 ||
      two_digits(birth, 4) > 12 || two_digits(birth, 6) < 1 || two_digits(birth, 6) > 31) {
    throw CardProtocolError("basic four EF: birth date (DF24) is not YYYYMMDD");
  }
  if (sex.size() != 1 || (sex[0] != '1' && sex[0] != '2' && sex[0] != '9')) {
    throw CardProtocolError("basic four EF: sex (DF25) is not one of '1', '2', '9'");
  }
  out.name.assign(name.begin(), name.end());
  out.address.assign(address.begin(), address.end());
  out.birth_date.assign(birth.begin(), birth.end());
  out.sex = sex[0] == '1' ? Sex::kMale : sex[0] == '2' ? Sex::kFemale : Sex::kNotApplicable;
  return out;
}

}  // namespace zairyu::client
