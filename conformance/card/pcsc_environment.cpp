#include "conformance/card/pcsc_environment.h"

#include "conformance/runner/child_process.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace zairyu::conformance {
namespace {

using namespace std::chrono_literals;

constexpr auto kPcscdBusyWait = 120s;  // another test's pcscd: wait for it to go

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

}  // namespace

PcscEnvironment::PcscEnvironment(PcscEnvironmentOptions options, StopOnSignal& stop_on_signal)
    : options_(std::move(options)), on_signal_(stop_on_signal.on_stop([this] { stop(); })) {
  if (options_.run_dir.empty()) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "zairyu-conformance-pcsc.XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    options_.run_dir = pattern;
    temporary_run_dir_ = true;
  }
  std::filesystem::create_directories(options_.run_dir);
  try {
    start();
  } catch (...) {
    stop();
    throw;
  }
}

PcscEnvironment::~PcscEnvironment() { stop(); }

// Runs tools/pcscd-vpcd; returns its output, throws with it on failure.
std::string PcscEnvironment::script(const std::vector<std::string>& args) const {
  std::vector<std::string> argv{options_.pcscd_script.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.insert(argv.end(), {"--dir", (options_.run_dir / "pcscd").string()});
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  const pid_t pid = spawn(argv, out[1]);
  close(out[1]);
  std::string output;
  char buffer[4096];
  for (ssize_t n; (n = read(out[0], buffer, sizeof buffer)) != 0;) {
    if (n > 0) output.append(buffer, static_cast<std::size_t>(n));
    if (n < 0 && errno != EINTR) break;
  }
  close(out[0]);
  if (const int rc = wait_exit(pid); rc != 0) {
    throw std::runtime_error("pcscd-vpcd " + args.front() + " failed (" + std::to_string(rc) +
                             "): " + output);
  }
  return output;
}

void PcscEnvironment::start() {
  const std::vector<std::string> start_args{"start", "--slots", std::to_string(options_.slots),
                                            "--port-base", std::to_string(options_.port_base)};
  // Only one pcscd serves the machine; another test's may hold it for a while.
  const auto give_up = std::chrono::steady_clock::now() + kPcscdBusyWait;
  for (bool said = false;;) {
    try {
      script(start_args);
      break;
    } catch (const std::runtime_error& e) {
      const bool busy = std::string(e.what()).find("another pcscd") != std::string::npos;
      if (!busy || std::chrono::steady_clock::now() > give_up) throw;
      if (!said) std::fprintf(stderr, "zairyu-conformance: another pcscd runs; waiting\n");
      said = true;
      std::this_thread::sleep_for(1s);
    }
  }
  pcscd_started_ = true;
  const std::vector<std::string> netns = lines(script({"netns"}));  // none when shared
  readers_ = lines(script({"readers"}));
  if (readers_.size() < options_.slots) throw std::runtime_error("pcscd-vpcd: too few readers");
  readers_.resize(options_.slots);

  std::vector<std::string> args{"--vpcd-slots", std::to_string(options_.slots), "--vpcd-port-base",
                                std::to_string(options_.port_base)};
  if (!netns.empty()) args.insert(args.end(), {"--vpcd-netns", netns.front()});
  emulator_ =
      std::make_unique<EmulatorProcess>(options_.emulator, options_.personas_dir, options_.pki_dir,
                                        options_.run_dir, "emulator", args);
  emulator_->wait_until_listening();
}

const std::string& PcscEnvironment::emulator_address() const { return emulator_->address(); }

void PcscEnvironment::stop() {
  const std::lock_guard lock(stop_mutex_);
  if (emulator_) emulator_->stop();
  if (pcscd_started_) {
    try {
      script({"stop"});
    } catch (const std::runtime_error& e) {
      std::fprintf(stderr, "zairyu-conformance: %s\n", e.what());
    }
    pcscd_started_ = false;
  }
  if (temporary_run_dir_) {
    std::error_code ignored;
    std::filesystem::remove_all(options_.run_dir, ignored);
    temporary_run_dir_ = false;
  }
}

}  // namespace zairyu::conformance
