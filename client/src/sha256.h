// SHA-256 for the client libraries (DigestInfo, attachment digests).
// Internal: not installed.
#pragma once

#include <array>
#include <cstdint>

#include "zairyu/client/bytes.h"

namespace zairyu::client::detail {

// Throws std::runtime_error if OpenSSL fails.
std::array<std::uint8_t, 32> sha256(ByteView data);

}  // namespace zairyu::client::detail
