// SteerableClock: the emulator's virtual clock. Tests set it, advance it, or
// let it run with real time from where it stands; the online core only sees
// online::Clock. Thread-safe.
#pragma once

#include <chrono>
#include <mutex>

#include "emulator/online/clock.h"

namespace zairyu::server {

class SteerableClock final : public online::Clock {
 public:
  explicit SteerableClock(online::Instant start) : start_(start), base_(start) {}

  online::Instant Now() const override {
    const std::lock_guard lock(mu_);
    return now_locked();
  }
  // Jumps to `t` (also backwards) and stops following real time.
  void Set(online::Instant t) {
    const std::lock_guard lock(mu_);
    base_ = t;
    following_ = false;
  }
  // Moves forward by `d`; a following clock keeps following.
  void Advance(std::chrono::seconds d) {
    const std::lock_guard lock(mu_);
    base_ += d;
  }
  // From now on the clock moves with the host's clock.
  void FollowRealTime() {
    const std::lock_guard lock(mu_);
    base_ = now_locked();
    real_base_ = std::chrono::system_clock::now();
    following_ = true;
  }
  bool following() const {
    const std::lock_guard lock(mu_);
    return following_;
  }
  // Back to the start instant, not following.
  void Reset() { Set(start_); }

  // What a snapshot keeps: the time and whether it runs with real time.
  struct State {
    online::Instant now;
    bool following = false;
  };
  State state() const {
    const std::lock_guard lock(mu_);
    return {now_locked(), following_};
  }
  // Back to `s`; a following clock follows again from s.now.
  void restore(const State& s) {
    const std::lock_guard lock(mu_);
    base_ = s.now;
    real_base_ = std::chrono::system_clock::now();
    following_ = s.following;
  }

 private:
  online::Instant now_locked() const {
    if (!following_) return base_;
    const auto elapsed = std::chrono::system_clock::now() - real_base_;
    return base_ + std::chrono::duration_cast<std::chrono::seconds>(elapsed);
  }

  const online::Instant start_;
  mutable std::mutex mu_;
  online::Instant base_;  // the time now, or when following began
  std::chrono::system_clock::time_point real_base_;
  bool following_ = false;
};

}  // namespace zairyu::server
