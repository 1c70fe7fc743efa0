#include "emulator/slots/card_slot.h"

#include <algorithm>
#include <thread>
#include <utility>

namespace zairyu::slots {
namespace {

// Where the data field of a command APDU sits, if it has one.
struct DataField {
  std::size_t offset = 0;
  std::size_t length = 0;
};

std::optional<DataField> data_field(ByteView command) {
  if (command.size() <= 5) return std::nullopt;  // case 1 or case 2 short: no data
  if (command[4] != 0) {
    return DataField{5, std::min<std::size_t>(command[4], command.size() - 5)};
  }
  if (command.size() <= 7) return std::nullopt;  // extended case 2: Le only
  const std::size_t lc = static_cast<std::size_t>(command[5]) << 8 | command[6];
  return DataField{7, std::min(lc, command.size() - 7)};
}

const char* action_name(CardFault::Action action) {
  switch (action) {
    case CardFault::Action::kMute:
      return "mute";
    case CardFault::Action::kDelay:
      return "delay";
    case CardFault::Action::kStatusWord:
      return "status_word";
    case CardFault::Action::kTruncate:
      return "truncate";
  }
  return "unknown";
}

}  // namespace

bool carries_pin_data(ByteView command) {
  if (command.size() < 2 || (command[1] != 0x20 && command[1] != 0x24)) return false;
  const auto field = data_field(command);
  return field && field->length > 0;
}

Bytes mask_pin_data(ByteView command) {
  Bytes out(command.begin(), command.end());
  if (!carries_pin_data(command)) return out;
  const auto field = data_field(command);
  std::fill_n(out.begin() + static_cast<std::ptrdiff_t>(field->offset), field->length, '*');
  return out;
}

CardSlot::CardSlot(int index, std::size_t log_capacity)
    : index_(index), log_capacity_(std::max<std::size_t>(log_capacity, 1)) {}

void CardSlot::insert(std::shared_ptr<card::Card> card, std::string persona_id) {
  if (put(std::move(card), std::move(persona_id))) notify(SlotEvent::kRemoved);
  notify(SlotEvent::kInserted);
}

void CardSlot::replace(std::shared_ptr<card::Card> card, std::string persona_id) {
  notify(put(std::move(card), std::move(persona_id)) ? SlotEvent::kReset : SlotEvent::kInserted);
}

bool CardSlot::put(std::shared_ptr<card::Card> card, std::string persona_id) {
  std::lock_guard lock(mutex_);
  const bool swapped = card_ != nullptr;
  card_ = std::move(card);
  persona_id_ = std::move(persona_id);
  return swapped;
}

void CardSlot::remove() {
  {
    std::lock_guard lock(mutex_);
    if (!card_) return;
    card_.reset();
    persona_id_.reset();
  }
  notify(SlotEvent::kRemoved);
}

bool CardSlot::present() const {
  std::lock_guard lock(mutex_);
  return card_ != nullptr;
}

std::optional<std::string> CardSlot::persona_id() const {
  std::lock_guard lock(mutex_);
  return persona_id_;
}

std::shared_ptr<card::Card> CardSlot::card() const {
  std::lock_guard lock(mutex_);
  return card_;
}

std::optional<card::Card::PinStatus> CardSlot::pin_status(card::PinId pin) const {
  std::lock_guard lock(mutex_);
  if (!card_) return std::nullopt;
  return card_->pin_status(pin);
}

void CardSlot::reset() {
  {
    std::lock_guard lock(mutex_);
    if (card_) card_->reset();
  }
  notify(SlotEvent::kReset);
}

std::optional<Bytes> CardSlot::atr() const {
  std::lock_guard lock(mutex_);
  if (!card_) return std::nullopt;
  return card_->atr();
}

std::optional<CardFault> CardSlot::select_fault(ByteView command) {
  std::optional<CardFault> fired;
  const std::optional<std::uint8_t> ins =
      command.size() >= 2 ? std::optional<std::uint8_t>(command[1]) : std::nullopt;
  for (ArmedFault& armed : faults_) {
    if (armed.fault.ins && armed.fault.ins != ins) continue;
    ++armed.matches;
    const bool fires = armed.fault.nth == 0 || armed.matches == armed.fault.nth;
    if (fires && !fired) fired = armed.fault;
  }
  return fired;
}

std::optional<Bytes> CardSlot::exchange(ByteView command) {
  std::optional<CardFault> fault;
  {
    std::lock_guard lock(mutex_);
    if (!card_) return std::nullopt;
    fault = select_fault(command);
  }
  if (fault && fault->action == CardFault::Action::kDelay) {
    std::this_thread::sleep_for(fault->delay);
  }

  ApduLogEntry entry;
  entry.command.assign(command.begin(), command.end());
  entry.is_pin_data = carries_pin_data(command);
  if (fault) entry.fault = action_name(fault->action);
  std::optional<Bytes> response;
  {
    std::lock_guard lock(mutex_);
    if (!card_) return std::nullopt;  // removed while a delay fault slept
    if (!fault || fault->action == CardFault::Action::kDelay ||
        fault->action == CardFault::Action::kTruncate) {
      response = card_->transmit(command);
      if (fault && fault->action == CardFault::Action::kTruncate && !response->empty()) {
        response->pop_back();
      }
    } else if (fault->action == CardFault::Action::kStatusWord) {
      response = Bytes{static_cast<std::uint8_t>(fault->status_word >> 8),
                       static_cast<std::uint8_t>(fault->status_word & 0xFF)};
    }
    entry.time = std::chrono::system_clock::now();
    entry.response = response.value_or(Bytes{});
    append_log(std::move(entry));
  }
  log_changed_.notify_all();
  return response;
}

void CardSlot::append_log(ApduLogEntry entry) {
  entry.sequence = ++last_sequence_;
  log_.push_back(std::move(entry));
  while (log_.size() > log_capacity_) log_.pop_front();
}

void CardSlot::add_fault(CardFault fault) {
  std::lock_guard lock(mutex_);
  faults_.push_back(ArmedFault{fault, 0});
}

void CardSlot::clear_faults() {
  std::lock_guard lock(mutex_);
  faults_.clear();
}

std::vector<ApduLogEntry> CardSlot::log_since(std::uint64_t after, bool reveal_pins) const {
  std::lock_guard lock(mutex_);
  std::vector<ApduLogEntry> out;
  if (log_.empty() || after >= last_sequence_) return out;
  // Sequences in the ring are consecutive, so the first wanted entry is found
  // by arithmetic, not by a scan.
  const std::uint64_t first = log_.front().sequence;
  const std::size_t skip = after < first ? 0 : static_cast<std::size_t>(after - first + 1);
  out.reserve(log_.size() - skip);
  for (auto it = log_.begin() + static_cast<std::ptrdiff_t>(skip); it != log_.end(); ++it) {
    out.push_back(*it);
    if (!reveal_pins && out.back().is_pin_data) out.back().command = mask_pin_data(it->command);
  }
  return out;
}

bool CardSlot::wait_for_log(std::uint64_t after, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return log_changed_.wait_for(lock, timeout, [&] { return last_sequence_ > after; });
}

std::uint64_t CardSlot::last_sequence() const {
  std::lock_guard lock(mutex_);
  return last_sequence_;
}

void CardSlot::set_listener(std::function<void(SlotEvent)> listener) {
  std::lock_guard lock(mutex_);
  listener_ = std::move(listener);
}

void CardSlot::notify(SlotEvent event) {
  std::function<void(SlotEvent)> listener;
  {
    std::lock_guard lock(mutex_);
    listener = listener_;
  }
  if (listener) listener(event);
}

}  // namespace zairyu::slots
