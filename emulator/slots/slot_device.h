// SlotDevice: what a reader transport (the vpcd bridge, benchmarks) needs from
// one card slot. CardSlot implements it for the real card model; NullSlotDevice
// is a do-nothing card for transport tests and benchmarks. Keeping the seam
// here lets emulator/vpcd build and be tested without the card library.
#pragma once

#include <functional>
#include <optional>

#include "emulator/card/bytes.h"

namespace zairyu::slots {

using card::Bytes;
using card::ByteView;

// Slot events for transports: insert, remove and reset of the card.
enum class SlotEvent { kInserted, kRemoved, kReset };

// One reader slot as a transport sees it. Implementations are thread-safe.
class SlotDevice {
 public:
  virtual ~SlotDevice() = default;

  virtual bool present() const = 0;
  // ATR of the inserted card, or nullopt when the slot is empty.
  virtual std::optional<Bytes> atr() const = 0;
  // Warm reset as the reader asks (vpcd control byte 02; power on/off are
  // mapped to it too, as a power cycle of a real card clears the same state).
  virtual void reset() = 0;
  // One command APDU in, one response APDU out. nullopt = no answer (muted
  // by a fault, or no card).
  virtual std::optional<Bytes> exchange(ByteView command) = 0;
  // Called on insert/remove/reset, from the thread that caused the event. One
  // listener per slot (the transport that serves it); an empty function clears it.
  virtual void set_listener(std::function<void(SlotEvent)> listener) = 0;
};

}  // namespace zairyu::slots
