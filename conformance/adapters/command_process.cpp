#include "conformance/adapters/command_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace zairyu::conformance {
namespace {

constexpr int kExecFailed = 127;

// Both ends close-on-exec; the child dup2()s the ones it keeps.
std::array<int, 2> make_pipe() {
  std::array<int, 2> fds{-1, -1};
  if (pipe2(fds.data(), O_CLOEXEC) != 0) {
    throw std::runtime_error(std::string("adapter command: pipe failed: ") + std::strerror(errno));
  }
  return fds;
}

// "NAME=value" strings: the runner's environment with `extra` laid over it.
std::vector<std::string> environment(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> out;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry(*e);
    const std::string name = entry.substr(0, entry.find('='));
    if (!extra.contains(name)) out.push_back(entry);
  }
  for (const auto& [name, value] : extra) out.push_back(name + "=" + value);
  return out;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

int wait_for(pid_t pid, int& signal_number) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status)) {
    signal_number = WTERMSIG(status);
    return -1;
  }
  return WEXITSTATUS(status);
}

}  // namespace

std::string CommandResult::status(const CommandSpec& spec) const {
  if (timed_out) return "timeout after " + std::to_string(spec.timeout.count()) + " ms";
  if (output_overflow) return "killed: more than " + std::to_string(spec.max_output) + " bytes";
  if (exec_failed) return "cannot run " + (spec.argv.empty() ? std::string() : spec.argv.front());
  if (signal != 0) return "signal " + std::to_string(signal);
  return "exit " + std::to_string(exit_code);
}

CommandResult run_command(const CommandSpec& spec) {
  if (spec.argv.empty()) throw std::runtime_error("adapter command: empty argv");
  // Everything the child needs is built before fork: after it, only
  // async-signal-safe calls (other threads may hold malloc's lock).
  std::vector<std::string> argv_strings = spec.argv;
  std::vector<std::string> env_strings = environment(spec.env);
  std::vector<char*> argv = pointers(argv_strings);
  std::vector<char*> envp = pointers(env_strings);
  const std::string cwd = spec.cwd.string();
  const std::array<int, 2> out = make_pipe();
  const std::array<int, 2> err = make_pipe();
  const int null = open("/dev/null", O_RDONLY | O_CLOEXEC);

  const auto started = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid < 0) {
    for (int fd : {out[0], out[1], err[0], err[1], null}) close(fd);
    throw std::runtime_error(std::string("adapter command: fork failed: ") + std::strerror(errno));
  }
  if (pid == 0) {
    setpgid(0, 0);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    dup2(null, STDIN_FILENO);
    dup2(out[1], STDOUT_FILENO);
    dup2(err[1], STDERR_FILENO);
    if (!cwd.empty() && chdir(cwd.c_str()) != 0) _exit(kExecFailed);
    execvpe(argv[0], argv.data(), envp.data());
    _exit(kExecFailed);
  }
  setpgid(pid, pid);  // also here: no race with the kill below
  close(out[1]);
  close(err[1]);
  close(null);

  CommandResult result;
  const auto deadline = started + spec.timeout;
  std::array<pollfd, 2> fds{pollfd{out[0], POLLIN, 0}, pollfd{err[0], POLLIN, 0}};
  std::array<std::string*, 2> sinks{&result.out, &result.err};
  int open_streams = 2;
  while (open_streams > 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      result.timed_out = true;
      break;
    }
    const int ready = poll(fds.data(), fds.size(), static_cast<int>(left.count()) + 1);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) break;
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buffer[16384];
      const ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<std::size_t>(n));
        if (sinks[i]->size() > spec.max_output) result.output_overflow = true;
      } else if (n == 0 || errno != EINTR) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_streams;
      }
    }
    if (result.output_overflow) break;
  }
  for (const pollfd& p : fds) {
    if (p.fd >= 0) close(p.fd);
  }
  // Both streams closed (or the limit hit): wait for the exit, still bounded
  // by the deadline. WNOWAIT keeps the pid (and so the group id) reserved
  // until the kill below cannot hit anyone else.
  siginfo_t info{};
  while (!result.timed_out && !result.output_overflow) {
    info.si_pid = 0;
    if (waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
        info.si_pid == pid) {
      break;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      result.timed_out = true;
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  if (result.timed_out || result.output_overflow) kill(-pid, SIGKILL);
  result.exit_code = wait_for(pid, result.signal);
  result.exec_failed = result.exit_code == kExecFailed && result.err.empty();
  result.duration = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - started);
  return result;
}

}  // namespace zairyu::conformance
