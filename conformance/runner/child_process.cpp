#include "conformance/runner/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace zairyu::conformance {
namespace {

using namespace std::chrono_literals;

constexpr auto kEmulatorStart = 30s;
constexpr auto kStartPoll = 5ms;  // how often the port file is looked at

}  // namespace

// argv is prepared before fork: the child only makes async-signal-safe calls.
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

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

EmulatorProcess::EmulatorProcess(const std::filesystem::path& binary,
                                 const std::filesystem::path& personas_dir,
                                 const std::filesystem::path& pki_dir,
                                 const std::filesystem::path& run_dir, const std::string& name,
                                 const std::vector<std::string>& extra_args)
    : binary_(binary.string()),
      port_file_(run_dir / (name + ".port")),
      log_(run_dir / (name + ".log")) {
  std::filesystem::remove(port_file_);
  std::vector<std::string> argv{binary_,
                                "--listen",
                                "127.0.0.1:0",
                                "--port-file",
                                port_file_.string(),
                                "--personas",
                                personas_dir.string(),
                                "--pki",
                                pki_dir.string()};
  argv.insert(argv.end(), {"--state", ":memory:"});  // each child its own state
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  const int log_fd = open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (log_fd < 0) throw std::runtime_error("cannot write " + log_.string());
  pid_ = spawn(argv, log_fd);
  close(log_fd);
}

void EmulatorProcess::wait_until_listening() {
  const auto deadline = std::chrono::steady_clock::now() + kEmulatorStart;
  while (address_.empty()) {
    int status = 0;
    if (pid_ <= 0) throw std::runtime_error(binary_ + " is not running");
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      throw std::runtime_error(binary_ + " exited at start (" +
                               (code == 127 ? "cannot run it" : "status " + std::to_string(code)) +
                               "): " + read_text(log_));
    }
    const std::string port = read_text(port_file_);
    if (!port.empty() && port.back() == '\n') {
      address_ = "127.0.0.1:" + port.substr(0, port.size() - 1);
    } else if (std::chrono::steady_clock::now() > deadline) {
      stop();
      throw std::runtime_error("zairyu-emulator did not start listening: " + read_text(log_));
    } else {
      std::this_thread::sleep_for(kStartPoll);
    }
  }
}

EmulatorProcess::~EmulatorProcess() { stop(); }

void EmulatorProcess::stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  wait_exit(pid_);
  pid_ = -1;
}

}  // namespace zairyu::conformance
