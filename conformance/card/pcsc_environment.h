// PcscEnvironment: what `--transport pcsc` runs against when no emulator is
// attached: pcscd with one vpcd reader per worker (tools/pcscd-vpcd) and one
// zairyu-emulator serving those readers. Worker i uses emulator slot i and
// reader i.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "conformance/runner/stop_on_signal.h"

namespace zairyu::conformance {

class EmulatorProcess;

struct PcscEnvironmentOptions {
  std::filesystem::path pcscd_script;  // tools/pcscd-vpcd
  std::filesystem::path emulator;      // zairyu-emulator
  std::filesystem::path personas_dir;
  std::filesystem::path pki_dir;
  std::filesystem::path run_dir;  // empty: a temporary directory, removed at stop()
  int port_base = 42800;
  std::size_t slots = 1;
};

// Started by the constructor (throws std::runtime_error, after cleaning up,
// when something does not come up); stopped by stop() or the destructor (the
// harness also calls stop() on a signal, runner/stop_on_signal.h).
class PcscEnvironment {
 public:
  // Registers stop() with `stop_on_signal` first, so a signal during the
  // start-up stops what was started.
  PcscEnvironment(PcscEnvironmentOptions options, StopOnSignal& stop_on_signal);
  ~PcscEnvironment();
  PcscEnvironment(const PcscEnvironment&) = delete;
  PcscEnvironment& operator=(const PcscEnvironment&) = delete;

  // host:port of the emulator's gRPC server.
  const std::string& emulator_address() const;
  // Reader name of each slot.
  const std::vector<std::string>& readers() const { return readers_; }
  // Stops the emulator and pcscd; idempotent and thread-safe.
  void stop();

 private:
  void start();
  std::string script(const std::vector<std::string>& args) const;

  PcscEnvironmentOptions options_;
  bool temporary_run_dir_ = false;
  std::mutex stop_mutex_;
  bool pcscd_started_ = false;
  std::unique_ptr<EmulatorProcess> emulator_;
  std::vector<std::string> readers_;
  // Declared last: every other member exists when a signal calls stop().
  StopOnSignal::Registration on_signal_;
};

}  // namespace zairyu::conformance
