// ISO 7816-4 steps shared by the JPKI and input-helper applications
// (internal to the library).
#pragma once

#include <cstdint>
#include <string_view>

#include "zairyu/client/bytes.h"
#include "zairyu/client/card_channel.h"
#include "zairyu/client/pin.h"

namespace zairyu::client::detail {

// SELECT by DF name (00 A4 04 0C), always sent; records the selection.
void select_application(CardChannel& channel, ByteView aid, std::string_view name);
// SELECT the application only when the channel does not have it selected.
void ensure_application(CardChannel& channel, ByteView aid, std::string_view name);
// SELECT an EF by FID (00 A4 02 0C 02 hi lo); requires 90 00.
void select_ef(CardChannel& channel, std::uint16_t fid, std::string_view name);

// READ BINARY of the current EF; requires 90 00 and 1..le bytes back.
Bytes read_binary(CardChannel& channel, std::size_t offset, std::size_t le, std::string_view name);

// Reads the current EF holding one BER object of unknown length: a 7-byte
// head, the header parsed, then chunks of up to 256 bytes (Le = 00 while 256
// or more remain). Anything past the object (filler) is not returned.
Bytes read_ber_object(CardChannel& channel, std::size_t max_size, std::string_view name);

// Empty VERIFY (00 20 00 80) on the current PIN EF: spends no try.
PinStatus query_pin_status(CardChannel& channel, std::string_view name);

// Presents `pin_data` (already validated, wiped by the caller) to the current
// PIN EF after checking the remaining tries; refuses the last try unless
// forced; never retries.
VerifyResult verify_current_pin(CardChannel& channel, ByteView pin_data, VerifyOptions options,
                                std::string_view name);

// Bytes holding a PIN, wiped with OPENSSL_cleanse when destroyed.
struct PinBytes {
  Bytes bytes;
  explicit PinBytes(Bytes b) : bytes(std::move(b)) {}
  ~PinBytes();
  PinBytes(PinBytes&&) noexcept = default;  // the source is left empty
  PinBytes(const PinBytes&) = delete;
  PinBytes& operator=(const PinBytes&) = delete;
};

// Checks a 4-digit PIN (auth, input-helper) and returns its bytes.
PinBytes four_digit_pin(std::string_view pin, std::string_view name);

}  // namespace zairyu::client::detail
