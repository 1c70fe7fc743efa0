#include "emulator/card/input_helper_encoding.h"

#include <array>

namespace zairyu::card {
namespace {

void append_text(Bytes& out, std::string_view text) {
  out.insert(out.end(), text.begin(), text.end());
}

void append_tlv(Bytes& out, std::uint8_t tag1, std::uint8_t tag2, std::string_view value) {
  out.push_back(tag1);
  out.push_back(tag2);
  append_ber_length(out, value.size());
  append_text(out, value);
}

}  // namespace

void append_ber_length(Bytes& out, std::size_t length) {
  if (length < 0x80) {
    out.push_back(static_cast<std::uint8_t>(length));
  } else if (length <= 0xFF) {
    out.push_back(0x81);
    out.push_back(static_cast<std::uint8_t>(length));
  } else if (length <= 0xFFFF) {
    out.push_back(0x82);
    out.push_back(static_cast<std::uint8_t>(length >> 8));
    out.push_back(static_cast<std::uint8_t>(length));
  } else {
    out.push_back(0x83);
    out.push_back(static_cast<std::uint8_t>(length >> 16));
    out.push_back(static_cast<std::uint8_t>(length >> 8));
    out.push_back(static_cast<std::uint8_t>(length));
  }
}

Bytes encode_my_number_ef(std::string_view my_number) {
  Bytes out{0xFF, 0x10};
  append_ber_length(out, my_number.size());
  append_text(out, my_number);
  // Filler after the TLV, as on the real card (17 bytes physically).
  out.push_back(0xFF);
  out.push_back(0xFF);
  return out;
}

Bytes encode_basic_four_ef(const BasicFourInfo& info) {
  // The four fields, each a DFxx TLV; their offsets inside this buffer.
  Bytes fields;
  std::array<std::size_t, 4> field_offsets{};
  field_offsets[0] = fields.size();
  append_tlv(fields, 0xDF, 0x22, info.name);
  field_offsets[1] = fields.size();
  append_tlv(fields, 0xDF, 0x23, info.address);
  field_offsets[2] = fields.size();
  append_tlv(fields, 0xDF, 0x24, info.birth_date);
  field_offsets[3] = fields.size();
  append_tlv(fields, 0xDF, 0x25, std::string_view(&info.sex, 1));

  constexpr std::size_t kTableTlvSize = 2 + 1 + 8;  // DF 21 08 <8 bytes>
  const std::size_t value_size = kTableTlvSize + fields.size();
  Bytes out{0xFF, 0x20};
  append_ber_length(out, value_size);
  const std::size_t fields_start = out.size() + kTableTlvSize;
  out.insert(out.end(), {0xDF, 0x21, 0x08});
  for (std::size_t offset : field_offsets) {
    const std::size_t file_offset = fields_start + offset;
    out.push_back(static_cast<std::uint8_t>(file_offset >> 8));
    out.push_back(static_cast<std::uint8_t>(file_offset));
  }
  out.insert(out.end(), fields.begin(), fields.end());
  return out;
}

}  // namespace zairyu::card
