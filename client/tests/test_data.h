// Builders of card file contents shared by the client tests.
#pragma once

#include <string>
#include <string_view>

#include "scripted_transport.h"

namespace zairyu::client::testing {

// Shortest BER length encoding (up to 82 LL LL).
inline Bytes ber_length(std::size_t n) {
  if (n < 0x80) return {static_cast<std::uint8_t>(n)};
  if (n < 0x100) return {0x81, static_cast<std::uint8_t>(n)};
  return {0x82, static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)};
}

inline Bytes utf8(std::string_view s) { return Bytes(s.begin(), s.end()); }

// Builds FF20 { [DF21 table] DF22 name DF23 address DF24 birth DF25 sex } the
// way the card does, with a correct DF21 offset table when `with_table`.
inline Bytes basic_four(const std::string& name, const std::string& address,
                        const std::string& birth, char sex, bool with_table = true) {
  auto tlv = [](std::uint8_t t2, const Bytes& v) {
    return concat(concat(Bytes{0xDF, t2}, ber_length(v.size())), v);
  };
  const Bytes fields[4] = {tlv(0x22, utf8(name)), tlv(0x23, utf8(address)), tlv(0x24, utf8(birth)),
                           tlv(0x25, Bytes{static_cast<std::uint8_t>(sex)})};
  std::size_t body_size = (with_table ? 11 : 0);
  for (const auto& f : fields) body_size += f.size();
  const Bytes out = concat(Bytes{0xFF, 0x20}, ber_length(body_size));
  Bytes body;
  if (with_table) {
    body = {0xDF, 0x21, 0x08};
    std::size_t at = out.size() + 11;
    for (const auto& f : fields) {
      body.push_back(static_cast<std::uint8_t>(at >> 8));
      body.push_back(static_cast<std::uint8_t>(at));
      at += f.size();
    }
  }
  for (const auto& f : fields) body = concat(body, f);
  return concat(concat(out, body), hex("FF FF FF"));  // filler after the object
}

}  // namespace zairyu::client::testing
