#include "emulator/slots/null_slot_device.h"

#include <utility>

namespace zairyu::slots {

NullSlotDevice::NullSlotDevice()
    : NullSlotDevice(Bytes{0x3B, 0xE0, 0x00, 0xFF, 0x81, 0x31, 0xFE, 0x45, 0x14}) {}

NullSlotDevice::NullSlotDevice(Bytes atr) : atr_(std::move(atr)) {}

void NullSlotDevice::insert() {
  {
    std::lock_guard lock(mutex_);
    if (present_) return;
    present_ = true;
  }
  notify(SlotEvent::kInserted);
}

void NullSlotDevice::remove() {
  {
    std::lock_guard lock(mutex_);
    if (!present_) return;
    present_ = false;
  }
  notify(SlotEvent::kRemoved);
}

bool NullSlotDevice::present() const {
  std::lock_guard lock(mutex_);
  return present_;
}

std::optional<Bytes> NullSlotDevice::atr() const {
  std::lock_guard lock(mutex_);
  if (!present_) return std::nullopt;
  return atr_;
}

void NullSlotDevice::reset() { notify(SlotEvent::kReset); }

std::optional<Bytes> NullSlotDevice::exchange(ByteView /*command*/) {
  if (!present()) return std::nullopt;
  ++exchanges_;
  return Bytes{0x90, 0x00};
}

void NullSlotDevice::set_listener(std::function<void(SlotEvent)> listener) {
  std::lock_guard lock(mutex_);
  listener_ = std::move(listener);
}

void NullSlotDevice::notify(SlotEvent event) {
  std::function<void(SlotEvent)> listener;
  {
    std::lock_guard lock(mutex_);
    listener = listener_;
  }
  if (listener) listener(event);
}

}  // namespace zairyu::slots
