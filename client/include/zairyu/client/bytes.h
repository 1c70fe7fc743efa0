// Byte buffers used throughout the client library.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace zairyu::client {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

// Upper-case hex with a space between bytes ("90 00"); for messages and traces.
std::string to_hex(ByteView bytes);

}  // namespace zairyu::client
