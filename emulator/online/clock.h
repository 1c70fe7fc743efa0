// Clock: where the online core gets "now". The emulator runs on a VirtualClock
// that tests set and advance; RealClock follows the host.
#pragma once

#include <chrono>
#include <mutex>

namespace zairyu::online {

using Instant = std::chrono::sys_seconds;  // UTC, whole seconds

// Interface for the current instant. Implementations are thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Instant Now() const = 0;
};

// The host's clock, truncated to seconds.
class RealClock final : public Clock {
 public:
  Instant Now() const override;
};

// A clock that only moves when told: Set() jumps (also backwards), Advance()
// moves forward by a duration.
class VirtualClock final : public Clock {
 public:
  explicit VirtualClock(Instant start) : now_(start) {}
  Instant Now() const override;
  void Set(Instant t);
  void Advance(std::chrono::seconds d);

 private:
  mutable std::mutex mu_;
  Instant now_;
};

}  // namespace zairyu::online
