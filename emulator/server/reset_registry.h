// ResetRegistry: the one place that knows how to put the emulator back to its
// start state. Every component with state registers its reset when it is
// created, so Environment::reset() cannot forget one (no hand-kept list).
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace zairyu::server {

// Resets run in registration order, so a component registered later (e.g.
// the card state directory) may rely on earlier ones (the slots, which let go
// of their cards first) having been reset. Thread-safe.
class ResetRegistry {
 public:
  // `name` appears in logs; `reset` must leave the component as created.
  void add(std::string name, std::function<void()> reset) {
    const std::lock_guard lock(mutex_);
    entries_.emplace_back(std::move(name), std::move(reset));
  }

  // Runs every registered reset; returns the names, in order.
  std::vector<std::string> reset_all() {
    const std::lock_guard lock(mutex_);
    std::vector<std::string> names;
    for (auto& [name, reset] : entries_) {
      reset();
      names.push_back(name);
    }
    return names;
  }

 private:
  std::mutex mutex_;
  std::vector<std::pair<std::string, std::function<void()>>> entries_;
};

}  // namespace zairyu::server
