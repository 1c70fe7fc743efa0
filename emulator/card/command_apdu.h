// ISO 7816-4 command APDU parsing (cases 1-4, short and extended length).
// A pure function with no I/O and no exceptions, so fuzz targets call it directly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "emulator/card/bytes.h"

namespace zairyu::card {

// The four ISO 7816-3 command cases: 1 no data no Le, 2 Le only, 3 data only,
// 4 data and Le.
enum class ApduCase : std::uint8_t { k1 = 1, k2 = 2, k3 = 3, k4 = 4 };

// A parsed command. `data` views the buffer given to parse_command_apdu, so the
// buffer must outlive it (this keeps parsing allocation-free).
struct CommandApdu {
  std::uint8_t cla = 0;
  std::uint8_t ins = 0;
  std::uint8_t p1 = 0;
  std::uint8_t p2 = 0;
  ByteView data;          // command data (Lc bytes); empty for cases 1 and 2
  std::uint32_t le = 0;   // Ne: expected response length, 0 when absent; an encoded
                          // 00 means 256 (short) or 65536 (extended)
  bool extended = false;  // Lc/Le used the extended (3-byte / 2-byte) encoding
  ApduCase apdu_case = ApduCase::k1;

  bool has_le() const { return apdu_case == ApduCase::k2 || apdu_case == ApduCase::k4; }
};

// Either a command or the status word a card answers to the malformed bytes.
struct ParsedApdu {
  std::optional<CommandApdu> command;
  std::uint16_t error_sw = 0;  // set when `command` is empty (always 67 00)
};

// Parses one command APDU. Anything that is not exactly one well-formed case
// (shorter than 4 bytes, Lc disagreeing with the length, extended Lc = 0, a
// 6-byte "00 00 xx" tail, trailing bytes) yields 67 00 (wrong length).
ParsedApdu parse_command_apdu(ByteView bytes) noexcept;

}  // namespace zairyu::card
