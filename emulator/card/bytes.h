// Byte buffers and hex helpers shared by the card model and its adapters.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace zairyu::card {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

// "00 A4 04 0C" or "00a4040c" -> bytes. Throws std::invalid_argument on bad hex.
Bytes from_hex(std::string_view hex);
// Upper-case hex with a space between bytes ("90 00").
std::string to_hex(ByteView bytes);

}  // namespace zairyu::card
