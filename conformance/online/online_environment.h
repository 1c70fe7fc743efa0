// OnlineEnvironment: the online systems a run talks to when none is
// attached: one zairyu-emulator per worker on OS-chosen ports, so every
// worker resets, steers and reads its own emulator (clock, geo table,
// outbox) without disturbing the others.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "conformance/runner/child_process.h"
#include "conformance/runner/stop_on_signal.h"

namespace zairyu::conformance {

struct OnlineEnvironmentOptions {
  std::filesystem::path emulator;  // zairyu-emulator
  std::filesystem::path personas_dir;
  std::filesystem::path pki_dir;
  std::filesystem::path run_dir;  // empty: a temporary directory, removed at the end
  std::size_t workers = 1;
};

// The constructor starts every emulator at once without waiting (the caller
// may set up other things meanwhile); wait_until_serving() waits for them
// (throws std::runtime_error with the emulator's log when one does not come
// up). stop() or the destructor stops them and removes the temporary run
// directory. The emulators die with the harness (SIGTERM on its death).
class OnlineEnvironment {
 public:
  // Registers stop() with `stop_on_signal` first.
  OnlineEnvironment(OnlineEnvironmentOptions options, StopOnSignal& stop_on_signal);
  ~OnlineEnvironment();
  OnlineEnvironment(const OnlineEnvironment&) = delete;
  OnlineEnvironment& operator=(const OnlineEnvironment&) = delete;

  void wait_until_serving();
  // Idempotent and thread-safe (the harness calls it on a signal too).
  void stop();
  // host:port of worker i's emulator, once serving.
  const std::string& address(std::size_t worker) const { return emulators_.at(worker)->address(); }

 private:
  std::filesystem::path run_dir_;
  bool temporary_run_dir_ = false;
  std::vector<std::unique_ptr<EmulatorProcess>> emulators_;
  std::mutex stop_mutex_;
  // Declared last: every other member exists when a signal calls stop().
  StopOnSignal::Registration on_signal_;
};

}  // namespace zairyu::conformance
