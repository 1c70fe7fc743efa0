// Command and response APDUs (ISO 7816-4, short lengths only, as the card uses).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "zairyu/client/bytes.h"

namespace zairyu::client {

// A command APDU. The ISO case follows from what is present:
// case 1 = header only, 2 = Le only, 3 = data only, 4 = data and Le.
// Data is at most 255 bytes and Le 1..256 (256 is encoded as 00).
// A sensitive command (one carrying a PIN) is masked in traces and its
// buffers are wiped when it is destroyed.
class Apdu {
 public:
  // Throws std::invalid_argument on an empty-but-present data field, data over
  // 255 bytes or Le outside 1..256.
  Apdu(std::uint8_t cla, std::uint8_t ins, std::uint8_t p1, std::uint8_t p2, Bytes data = {},
       std::optional<std::size_t> le = std::nullopt);
  ~Apdu();
  Apdu(const Apdu&) = delete;
  Apdu& operator=(const Apdu&) = delete;
  Apdu(Apdu&&) = default;  // leaves the source's data empty
  // No move assignment: it would free a sensitive buffer without wiping it.
  Apdu& operator=(Apdu&&) = delete;

  // Marks the data field as secret (for traces) and wipes it on destruction.
  Apdu&& sensitive() &&;
  bool is_sensitive() const noexcept { return sensitive_; }

  std::uint8_t cla() const noexcept { return cla_; }
  std::uint8_t ins() const noexcept { return ins_; }
  std::uint8_t p1() const noexcept { return p1_; }
  std::uint8_t p2() const noexcept { return p2_; }
  const Bytes& data() const noexcept { return data_; }
  std::optional<std::size_t> le() const noexcept { return le_; }

  // Encoded bytes. For a sensitive APDU the caller must wipe the result.
  Bytes encode() const;
  // Encoded bytes with the data field replaced by '*' (0x2A) when sensitive.
  Bytes encode_masked() const;

 private:
  std::uint8_t cla_, ins_, p1_, p2_;
  Bytes data_;
  std::optional<std::size_t> le_;
  bool sensitive_ = false;
};

// A response APDU: data followed by SW1 SW2.
class ResponseApdu {
 public:
  // Throws CardProtocolError when `raw` is shorter than a status word.
  explicit ResponseApdu(ByteView raw);
  const Bytes& data() const noexcept { return data_; }
  std::uint8_t sw1() const noexcept { return sw1_; }
  std::uint8_t sw2() const noexcept { return sw2_; }
  std::uint16_t sw() const noexcept { return static_cast<std::uint16_t>(sw1_ << 8 | sw2_); }
  bool ok() const noexcept { return sw() == 0x9000; }

 private:
  Bytes data_;
  std::uint8_t sw1_, sw2_;
};

}  // namespace zairyu::client
