// Card: the virtual My Number Card as a whole, as a reader sees it.
// Plain library: no sockets, no PC/SC. Thread-compatible (one caller at a time).
#pragma once

#include <memory>

#include "emulator/card/bytes.h"
#include "emulator/card/card_profile.h"
#include "emulator/card/card_state_store.h"
#include "emulator/card/random_source.h"

namespace zairyu::card {

class CardImpl;

// One personalized card. transmit() takes any byte string a reader may send and
// always answers with a response APDU ending in a status word; it never throws
// for malformed input.
class Card {
 public:
  // `store` keeps PIN counters, blocked flags and changed PINs across restarts.
  // `random` feeds GET CHALLENGE (seeded in tests and fuzzing).
  // Throws std::invalid_argument for an unusable profile (unreadable PEM key,
  // sign certificate without sign key or the reverse) or a null store/random.
  Card(CardProfile profile, std::shared_ptr<CardStateStore> store,
       std::shared_ptr<RandomSource> random);
  ~Card();
  Card(const Card&) = delete;
  Card& operator=(const Card&) = delete;

  // Contact ATR of the real card: 3B E0 00 FF 81 31 FE 45 14.
  const Bytes& atr() const;
  // Cold or warm reset: clears the current DF/EF and all security state,
  // keeps retry counters (they live in the state store).
  void reset();
  // Processes one command APDU and returns the response APDU (data + SW1 SW2).
  Bytes transmit(ByteView command);
  // Same, into a caller-owned buffer (cleared first, capacity reused), for
  // allocation-free loops such as the vpcd bridge and benchmarks.
  void transmit(ByteView command, Bytes& response);

  // Remaining tries and blocked state, for the control plane.
  struct PinStatus {
    int tries_left;
    int max_tries;
    bool blocked;
  };
  PinStatus pin_status(PinId pin) const;

 private:
  std::unique_ptr<CardImpl> impl_;
};

}  // namespace zairyu::card
