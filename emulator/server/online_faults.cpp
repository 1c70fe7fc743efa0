#include "emulator/server/online_faults.h"

namespace zairyu::server {

void OnlineFaults::add(const OnlineFault& fault) {
  const std::lock_guard lock(mu_);
  armed_.push_back(Armed{fault, 0, std::mt19937_64(fault.seed)});
}

void OnlineFaults::clear() {
  const std::lock_guard lock(mu_);
  armed_.clear();
}

std::optional<OnlineFault> OnlineFaults::hit(std::string_view method) {
  const std::lock_guard lock(mu_);
  std::optional<OnlineFault> result;
  for (Armed& a : armed_) {
    if (a.fault.method != method) continue;
    ++a.calls;
    bool hits = false;
    if (a.fault.nth != 0) {
      hits = a.calls == a.fault.nth;
    } else {
      hits = std::uniform_real_distribution<double>(0.0, 1.0)(a.rng) < a.fault.probability;
    }
    if (hits && !result) result = a.fault;
  }
  return result;
}

}  // namespace zairyu::server
