#include "conformance/online/online_environment.h"

#include <stdlib.h>

#include <stdexcept>

namespace zairyu::conformance {

OnlineEnvironment::OnlineEnvironment(OnlineEnvironmentOptions options, StopOnSignal& stop_on_signal)
    : run_dir_(options.run_dir), on_signal_(stop_on_signal.on_stop([this] { stop(); })) {
  if (run_dir_.empty()) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "zairyu-conformance-online.XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    run_dir_ = pattern;
    temporary_run_dir_ = true;
  }
  std::filesystem::create_directories(run_dir_);
  try {
    for (std::size_t i = 0; i < options.workers; ++i) {
      emulators_.push_back(std::make_unique<EmulatorProcess>(
          options.emulator, options.personas_dir, options.pki_dir, run_dir_,
          "online-" + std::to_string(i), std::vector<std::string>{"--slots", "1"}));
    }
  } catch (...) {
    emulators_.clear();
    if (temporary_run_dir_) std::filesystem::remove_all(run_dir_);
    throw;
  }
}

void OnlineEnvironment::wait_until_serving() {
  for (const auto& emulator : emulators_) emulator->wait_until_listening();
}

OnlineEnvironment::~OnlineEnvironment() { stop(); }

void OnlineEnvironment::stop() {
  const std::lock_guard lock(stop_mutex_);
  for (const auto& emulator : emulators_) emulator->stop();
  if (temporary_run_dir_) {
    std::error_code ignored;
    std::filesystem::remove_all(run_dir_, ignored);
    temporary_run_dir_ = false;
  }
}

}  // namespace zairyu::conformance
