// PINs: the per-PIN policy (retry limit, format of a new value) and PinCounter,
// the retry-counter logic over a CardStateStore.
#pragma once

#include <string>

#include "emulator/card/bytes.h"
#include "emulator/card/card_state_store.h"

namespace zairyu::card {

// Fixed by the card issuer, not by the profile.
struct PinPolicy {
  int max_tries;
  // Format a new value must have for CHANGE REFERENCE DATA.
  bool (*valid_new_value)(ByteView value);
};

// auth 0018 and input helper 0011: 4 digits, 3 tries; sign 001B: 6-16 of A-Z0-9, 5 tries.
const PinPolicy& pin_policy(PinId pin);

// One PIN's retry counter and reference value. The store is the only owner of
// the counter: every call reads it, every change is saved before it returns
// (a real card writes EEPROM before answering).
class PinCounter {
 public:
  enum class Result { kOk, kWrong, kBlocked };

  PinCounter(PinId id, std::string issued_value, CardStateStore& store);

  PinId id() const { return id_; }
  int max_tries() const { return policy_->max_tries; }
  int tries_left() const;
  bool blocked() const { return tries_left() == 0; }

  // Compares `candidate` byte for byte with the reference value. The counter
  // is decremented and saved *before* the comparison (anti-tearing), then
  // restored to the maximum on a match. A candidate of another length is
  // simply a wrong PIN. Throws what the store throws.
  Result verify(ByteView candidate);
  // Stores a new reference value (format already checked) and a full counter.
  void change(ByteView new_value);

 private:
  PinRecord record() const;

  PinId id_;
  const PinPolicy* policy_;
  std::string issued_value_;
  CardStateStore* store_;
};

}  // namespace zairyu::card
