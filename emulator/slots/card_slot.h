// CardSlot: one reader slot of the emulator's device plane. Holds the inserted
// card (or none), applies aimed faults and records the APDU log. Transport
// agnostic: the vpcd bridge and in-process transports both call exchange().
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "emulator/card/bytes.h"
#include "emulator/card/card.h"
#include "emulator/slots/slot_device.h"

namespace zairyu::slots {

using card::Bytes;
using card::ByteView;

// One aimed fault. Matching: an APDU whose INS equals `ins` (any INS when
// unset); it fires on the `nth` matching APDU (1-based; every match when 0).
struct CardFault {
  enum class Action {
    kMute,        // no answer at all. vpcd waits forever, so the vpcd bridge drops the
                  // link instead: the reader sees the card removed (and back, later)
    kDelay,       // answer after `delay`
    kStatusWord,  // answer only `status_word` instead of executing the command
    kTruncate,    // drop the last byte of the real answer
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
  Bytes response;                    // empty when muted
  bool is_pin_data = false;          // command carries PIN data
  std::optional<std::string> fault;  // name of the fault that fired, if any
};

// A reader slot. All methods are thread-safe. Card calls are serialized (the
// card model is thread-compatible only); a kDelay fault sleeps without holding
// the slot's lock, so log readers are never blocked by it.
class CardSlot final : public SlotDevice {
 public:
  static constexpr std::size_t kDefaultLogCapacity = 100'000;

  // The log keeps the newest `log_capacity` entries (a ring); sequence numbers
  // keep counting, so a reader can tell it fell behind.
  explicit CardSlot(int index, std::size_t log_capacity = kDefaultLogCapacity);

  int index() const { return index_; }
  // Inserting into an occupied slot swaps the card: listeners see kRemoved,
  // then kInserted, so a transport drops its link and a reader sees a new card.
  void insert(std::shared_ptr<card::Card> card, std::string persona_id);
  // Swaps the card of an occupied slot (or fills an empty one) without the
  // reader ever seeing it empty: listeners see only kReset, so a vpcd link
  // stays up; the reader must reset the card to learn its ATR.
  void replace(std::shared_ptr<card::Card> card, std::string persona_id);
  void remove();
  bool present() const override;
  std::optional<std::string> persona_id() const;
  // The inserted card. Card is thread-compatible only: calls on it made
  // outside the slot race with exchange() from the transport's thread.
  std::shared_ptr<card::Card> card() const;
  // A PIN's counters read under the slot's lock, so it never races an APDU
  // from the reader; nullopt when the slot is empty.
  std::optional<card::Card::PinStatus> pin_status(card::PinId pin) const;

  // Power/reset as the reader asks (vpcd control bytes 00/01/02).
  void reset() override;
  // ATR of the inserted card, or nullopt when the slot is empty.
  std::optional<Bytes> atr() const override;
  // Sends one command APDU through faults to the card and logs it.
  // nullopt = no answer (muted, or no card; an empty slot logs nothing).
  std::optional<Bytes> exchange(ByteView command) override;

  void add_fault(CardFault fault);
  void clear_faults();

  // Log entries with sequence > `after`; PIN data masked unless `reveal_pins`.
  std::vector<ApduLogEntry> log_since(std::uint64_t after, bool reveal_pins) const;
  // Blocks until an entry with sequence > `after` exists, or timeout. Returns
  // false on timeout. Used by streaming RPCs.
  bool wait_for_log(std::uint64_t after, std::chrono::milliseconds timeout) const;

  // Sequence number of the newest entry (0 before the first exchange).
  std::uint64_t last_sequence() const;

  // Called on insert/remove/reset (the vpcd bridge closes or opens its link).
  void set_listener(std::function<void(SlotEvent)> listener) override;

 private:
  struct ArmedFault {
    CardFault fault;
    std::uint32_t matches = 0;
  };

  // Counts the command against every fault; returns the first that fires.
  std::optional<CardFault> select_fault(ByteView command);
  void append_log(ApduLogEntry entry);
  void notify(SlotEvent event);
  // Sets the card under the lock; true when it took the place of another.
  bool put(std::shared_ptr<card::Card> card, std::string persona_id);

  const int index_;
  const std::size_t log_capacity_;
  mutable std::mutex mutex_;
  mutable std::condition_variable log_changed_;
  std::shared_ptr<card::Card> card_;
  std::optional<std::string> persona_id_;
  std::vector<ArmedFault> faults_;
  std::deque<ApduLogEntry> log_;
  std::uint64_t last_sequence_ = 0;
  std::function<void(SlotEvent)> listener_;
};

// True for VERIFY (INS 20) and CHANGE REFERENCE DATA (INS 24) with command
// data: those data bytes are PINs.
bool carries_pin_data(ByteView command);
// A copy of `command` with its data field (short or extended Lc) replaced by
// '*' bytes; commands that carry no PIN data are returned unchanged.
Bytes mask_pin_data(ByteView command);

}  // namespace zairyu::slots
