#include "conformance/card/pcsc_environment.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace zairyu::conformance {
namespace {

using namespace std::chrono_literals;

constexpr auto kEmulatorStart = 30s;
constexpr auto kPcscdBusyWait = 120s;  // another test's pcscd: wait for it to go

// The signals that stop the environment; SIGUSR2 only wakes the watcher up
// to end it.
sigset_t watched_signals() {
  sigset_t set;
  sigemptyset(&set);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGUSR2}) sigaddset(&set, sig);
  return set;
}

// fork + exec with stdout and stderr on `out_fd` and the signal mask cleared
// (blocked signals survive exec). The child gets SIGTERM when the calling
// thread dies (even by SIGKILL): call it from the main thread. argv is prepared before fork: the
// child only makes async-signal-safe calls.
pid_t spawn(const std::vector<std::string>& args, int out_fd) {
  std::vector<char*> argv;
  for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(127);
    const int null = open("/dev/null", O_RDONLY);
    dup2(null, STDIN_FILENO);
    dup2(out_fd, STDOUT_FILENO);
    dup2(out_fd, STDERR_FILENO);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

int wait_exit(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

}  // namespace

PcscEnvironment::PcscEnvironment(PcscEnvironmentOptions options) : options_(std::move(options)) {
  if (options_.run_dir.empty()) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "zairyu-conformance-pcsc.XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    options_.run_dir = pattern;
    temporary_run_dir_ = true;
  }
  std::filesystem::create_directories(options_.run_dir);
  // Blocked here, before any worker or gRPC thread exists, so every thread
  // inherits the mask and only the watcher receives them.
  const sigset_t set = watched_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal_watcher_ = std::thread([this] { watch_signals(); });
  try {
    start();
  } catch (...) {
    stop();
    pthread_kill(signal_watcher_.native_handle(), SIGUSR2);
    signal_watcher_.join();
    pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
    throw;
  }
}

PcscEnvironment::~PcscEnvironment() {
  stop();
  pthread_kill(signal_watcher_.native_handle(), SIGUSR2);
  signal_watcher_.join();
  const sigset_t set = watched_signals();
  pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
}

void PcscEnvironment::watch_signals() {
  const sigset_t set = watched_signals();
  int sig = 0;
  sigwait(&set, &sig);
  if (sig == SIGUSR2) return;
  std::fprintf(stderr, "zairyu-conformance: signal %d: stopping the emulator and pcscd\n", sig);
  stop();
  std::_Exit(128 + sig);
}

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

  const auto port_file = options_.run_dir / "emulator.port";
  const auto log = options_.run_dir / "emulator.log";
  std::filesystem::remove(port_file);
  std::vector<std::string> argv{options_.emulator.string(),
                                "--listen",
                                "127.0.0.1:0",
                                "--port-file",
                                port_file.string(),
                                "--personas",
                                options_.personas_dir.string(),
                                "--pki",
                                options_.pki_dir.string(),
                                "--vpcd-slots",
                                std::to_string(options_.slots),
                                "--vpcd-port-base",
                                std::to_string(options_.port_base)};
  if (!netns.empty()) argv.insert(argv.end(), {"--vpcd-netns", netns.front()});
  const int log_fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (log_fd < 0) throw std::runtime_error("cannot write " + log.string());
  emulator_pid_ = spawn(argv, log_fd);
  close(log_fd);

  const auto deadline = std::chrono::steady_clock::now() + kEmulatorStart;
  while (emulator_address_.empty()) {
    int status = 0;
    if (waitpid(emulator_pid_, &status, WNOHANG) == emulator_pid_) {
      emulator_pid_ = -1;
      const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      throw std::runtime_error(options_.emulator.string() + " exited at start (" +
                               (code == 127 ? "cannot run it" : "status " + std::to_string(code)) +
                               "): " + read_file(log));
    }
    const std::string port = read_file(port_file);
    if (!port.empty() && port.back() == '\n') {
      emulator_address_ = "127.0.0.1:" + port.substr(0, port.size() - 1);
    } else if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("zairyu-emulator did not start listening: " + read_file(log));
    } else {
      std::this_thread::sleep_for(50ms);
    }
  }
}

void PcscEnvironment::stop() {
  const std::lock_guard lock(stop_mutex_);
  if (emulator_pid_ > 0) {
    kill(emulator_pid_, SIGTERM);
    wait_exit(emulator_pid_);
    emulator_pid_ = -1;
  }
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
