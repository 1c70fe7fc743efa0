// PIN state and VERIFY outcomes shared by the card applications.
#pragma once

#include <optional>

namespace zairyu::client {

// What an empty VERIFY (no data, no try spent) tells about a PIN.
struct PinStatus {
  enum class State {
    kTriesLeft,  // 63 Cx: x tries left (x = 0 right after the last failure)
    kBlocked,    // 69 84: referenced data locked
    kVerified,   // 90 00: some cards answer this while the PIN is verified
    kNoLimit,    // 63 00: no retry limit reported
  };
  State state = State::kTriesLeft;
  std::optional<int> tries_left;  // set for kTriesLeft
  bool blocked() const { return state == State::kBlocked || (tries_left && *tries_left == 0); }
};

// Options of a VERIFY. By default the client refuses to present a PIN when
// the card reports only one try left: a wrong guess would block the PIN.
struct VerifyOptions {
  bool force_last_try = false;
};

// Outcome of presenting a PIN. The client never retries on its own.
struct VerifyResult {
  enum class Outcome {
    kVerified,        // 90 00
    kWrongPin,        // 63 Cx with x > 0 (tries_left set)
    kBlocked,         // the PIN is blocked (before or by this attempt)
    kRefusedLastTry,  // not sent: one try left and force_last_try not given
  };
  Outcome outcome = Outcome::kWrongPin;
  std::optional<int> tries_left;
  bool ok() const { return outcome == Outcome::kVerified; }
};

}  // namespace zairyu::client
