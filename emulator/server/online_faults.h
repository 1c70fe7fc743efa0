// OnlineFaults: faults the control plane aims at online RPCs. A fault matches
// one method, on its nth call or with a probability drawn from a seeded RNG
// (so a run repeats exactly), and acts with a status, a latency, or a dropped
// call. gRPC-free; the online service applies the action. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace zairyu::server {

struct OnlineFault {
  enum class Action { kStatus, kLatency, kDrop };

  std::string method;        // OnlineSystem method name
  std::uint32_t nth = 0;     // 1-based; 0 = every call, subject to probability
  double probability = 1.0;  // (0, 1]; used when nth == 0
  std::uint64_t seed = 0;    // of the probability draws
  Action action = Action::kStatus;
  int code = 0;                          // gRPC status code (kStatus)
  std::string reason;                    // ErrorInfo reason (kStatus)
  std::chrono::milliseconds latency{0};  // kLatency
};

class OnlineFaults {
 public:
  void add(const OnlineFault& fault);
  void clear();
  // The first fault that hits this call of `method`, if any. Every fault
  // matching the method counts the call.
  std::optional<OnlineFault> hit(std::string_view method);

 private:
  struct Armed {
    OnlineFault fault;
    std::uint32_t calls = 0;
    std::mt19937_64 rng;
  };

  std::mutex mu_;
  std::vector<Armed> armed_;
};

}  // namespace zairyu::server
