// ISO 7816-4 status words the virtual card answers, named once so every
// command handler and test uses the same values. Sources per value are in
// emulator/card/README.md.
#pragma once

#include <cstdint>

namespace zairyu::card::sw {

inline constexpr std::uint16_t kOk = 0x9000;
inline constexpr std::uint16_t kEndOfFile = 0x6282;      // option eof_answers_6282
inline constexpr std::uint16_t kMemoryFailure = 0x6581;  // the state store failed to write
inline constexpr std::uint16_t kWrongLength = 0x6700;
inline constexpr std::uint16_t kChannelNotSupported = 0x6881;
inline constexpr std::uint16_t kSecureMessagingNotSupported = 0x6882;
inline constexpr std::uint16_t kChainingNotSupported = 0x6884;
inline constexpr std::uint16_t kIncompatibleFile = 0x6981;  // wrong EF type (PIN/key/binary)
inline constexpr std::uint16_t kSecurityNotSatisfied = 0x6982;
inline constexpr std::uint16_t kBlocked = 0x6984;
inline constexpr std::uint16_t kConditionsNotSatisfied = 0x6985;
inline constexpr std::uint16_t kNoCurrentEf = 0x6986;
// Proprietary (JICSAP): secure-messaging CLA on READ BINARY / VERIFY (myna-card).
inline constexpr std::uint16_t kSecureMessagingRejected = 0x69FC;
inline constexpr std::uint16_t kWrongData = 0x6A80;
inline constexpr std::uint16_t kNotFound = 0x6A82;
inline constexpr std::uint16_t kWrongP1P2 = 0x6A86;
inline constexpr std::uint16_t kReferenceNotFound = 0x6A88;
inline constexpr std::uint16_t kWrongOffset = 0x6B00;
inline constexpr std::uint16_t kInsNotSupported = 0x6D00;
inline constexpr std::uint16_t kClaNotSupported = 0x6E00;
inline constexpr std::uint16_t kNoDiagnosis = 0x6F00;

// 63 Cx: a wrong PIN (or an empty VERIFY) with x tries left.
constexpr std::uint16_t tries_left(int tries) {
  return static_cast<std::uint16_t>(0x63C0 | (tries & 0x0F));
}

}  // namespace zairyu::card::sw
