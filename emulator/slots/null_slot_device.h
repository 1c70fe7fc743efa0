// NullSlotDevice: a card that does nothing. Answers every command APDU with
// 90 00 at once, so transport tests and benchmarks measure only the transport.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>

#include "emulator/slots/slot_device.h"

namespace zairyu::slots {

// A do-nothing card in a slot; starts inserted. Thread-safe.
class NullSlotDevice final : public SlotDevice {
 public:
  // `atr` defaults to the My Number Card's contact ATR, so PC/SC tools that
  // match ATRs treat it like the real card.
  NullSlotDevice();
  explicit NullSlotDevice(Bytes atr);

  void insert();
  void remove();
  // Number of command APDUs answered so far.
  std::uint64_t exchanges() const { return exchanges_.load(); }

  bool present() const override;
  std::optional<Bytes> atr() const override;
  void reset() override;
  std::optional<Bytes> exchange(ByteView command) override;
  void set_listener(std::function<void(SlotEvent)> listener) override;

 private:
  void notify(SlotEvent event);

  const Bytes atr_;
  mutable std::mutex mutex_;
  bool present_ = true;
  std::function<void(SlotEvent)> listener_;
  std::atomic<std::uint64_t> exchanges_{0};
};

}  // namespace zairyu::slots
