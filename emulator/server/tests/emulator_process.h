// The zairyu-emulator binary as a child process for the process tests (the
// test target defines ZAIRYU_EMULATOR_BINARY).
#pragma once

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

extern char** environ;

namespace zairyu::server::testing {

// The emulator as a child process, its stdout on a pipe. The destructor
// kills and reaps it if the test did not.
class EmulatorProcess {
 public:
  explicit EmulatorProcess(std::vector<std::string> args) {
    args.insert(args.begin(), ZAIRYU_EMULATOR_BINARY);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    int fds[2];
    BOOST_REQUIRE(::pipe(fds) == 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    posix_spawn_file_actions_addclose(&actions, fds[1]);
    const int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    stdout_ = ::fdopen(fds[0], "r");
    BOOST_REQUIRE_EQUAL(rc, 0);
  }
  ~EmulatorProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (stdout_) std::fclose(stdout_);
  }
  EmulatorProcess(const EmulatorProcess&) = delete;
  EmulatorProcess& operator=(const EmulatorProcess&) = delete;

  // The next stdout line, or nullopt at end of output.
  std::optional<std::string> line() {
    char buffer[512];
    if (!std::fgets(buffer, sizeof buffer, stdout_)) return std::nullopt;
    std::string text(buffer);
    if (!text.empty() && text.back() == '\n') text.pop_back();
    return text;
  }
  void signal(int number) { BOOST_REQUIRE(::kill(pid_, number) == 0); }
  // Waits for the exit; returns the exit code, or -1 if killed by a signal.
  int wait() {
    int status = 0;
    BOOST_REQUIRE(::waitpid(pid_, &status, 0) == pid_);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  pid_t pid_ = -1;
  FILE* stdout_ = nullptr;
};

// The first stdout line: "zairyu-emulator: listening on 127.0.0.1:PORT".
inline constexpr const char* kListening = "zairyu-emulator: listening on 127.0.0.1:";

}  // namespace zairyu::server::testing
