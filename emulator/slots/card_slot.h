// CardSlot: one reader slot of the emulator's device plane. Holds the inserted
// card (or none), applies aimed faults and records the APDU log. Transport
// agnostic: the vpcd bridge and in-process transports both call exchange().
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "emulator/card/bytes.h"
#include "emulator/card/card.h"

namespace zairyu::slots {

using card::Bytes;
using card::ByteView;

// One aimed fault. Matching: an APDU whose INS equals `ins` (any INS when
// unset); it fires on the `nth` matching APDU (1-based; every match when 0).
struct CardFault {
  enum class Action {
    kMute,          // no answer at all: the reader times out / sees the card as unresponsive
    kDelay,         // answer after `delay`
    kStatusWord,    // answer only `status_word` instead of executing the command
    kTruncate,      // drop the last byte of the real answer
  };
  std::optional<std::uint8_t> ins;
  std::uint32_t nth = 0;
  Action action = Action::kStatusWord;
  std::uint16_t status_word = 0x6F00;
  std::chrono::milliseconds delay{0};
};

// One logged exchange. PIN bytes of VERIFY / CHANGE REFERENCE DATA are masked
// (replaced by '*' bytes of the same length) unless the reader of the log asks
// for them explicitly.
struct ApduLogEntry {
  std::uint64_t sequence = 0;
  std::chrono::system_clock::time_point time;
  Bytes command;
  Bytes response;   // empty when muted
  bool is_pin_data = false;  // command carries PIN data
  std::optional<std::string> fault;  // name of the fault that fired, if any
};

// Slot events for transports: insert, remove and reset of the card.
enum class SlotEvent { kInserted, kRemoved, kReset };

// A reader slot. All methods are thread-safe.
class CardSlot {
 public:
  explicit CardSlot(int index);

  int index() const { return index_; }
  void insert(std::shared_ptr<card::Card> card, std::string persona_id);
  void remove();
  bool present() const;
  std::optional<std::string> persona_id() const;
  std::shared_ptr<card::Card> card() const;

  // Power/reset as the reader asks (vpcd control bytes 00/01/02).
  void reset();
  // ATR of the inserted card, or nullopt when the slot is empty.
  std::optional<Bytes> atr() const;
  // Sends one command APDU through faults to the card and logs it.
  // nullopt = no answer (muted, or no card).
  std::optional<Bytes> exchange(ByteView command);

  void add_fault(CardFault fault);
  void clear_faults();

  // Log entries with sequence > `after`; PIN data masked unless `reveal_pins`.
  std::vector<ApduLogEntry> log_since(std::uint64_t after, bool reveal_pins) const;
  // Blocks until an entry with sequence > `after` exists, or timeout. Returns
  // false on timeout. Used by streaming RPCs.
  bool wait_for_log(std::uint64_t after, std::chrono::milliseconds timeout) const;

  // Called on insert/remove/reset (the vpcd bridge closes or opens its link).
  void set_listener(std::function<void(SlotEvent)> listener);

 private:
  // implementation detail: mutex, card, faults, per-fault counters, log ring
  int index_;
  mutable std::mutex mutex_;
  // ... (implementer adds members)
};

}  // namespace zairyu::slots
