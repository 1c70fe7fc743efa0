#include "emulator/online/clock.h"

namespace zairyu::online {

Instant RealClock::Now() const {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

Instant VirtualClock::Now() const {
  std::lock_guard lock(mu_);
  return now_;
}

void VirtualClock::Set(Instant t) {
  std::lock_guard lock(mu_);
  now_ = t;
}

void VirtualClock::Advance(std::chrono::seconds d) {
  std::lock_guard lock(mu_);
  now_ += d;
}

}  // namespace zairyu::online
