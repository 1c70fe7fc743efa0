// Runs one adapter command: fork + exec in its own process group, stdout and
// stderr captured separately, a time limit after which the whole group is
// killed. Safe to call from several worker threads at once.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace zairyu::conformance {

struct CommandSpec {
  std::vector<std::string> argv;           // argv[0] is looked up in PATH
  std::map<std::string, std::string> env;  // added to (or replacing in) the runner's environment
  std::filesystem::path cwd;               // empty: the runner's
  std::chrono::milliseconds timeout{30'000};
  std::size_t max_output = 4 * 1024 * 1024;  // per stream; more is an error
};

struct CommandResult {
  int exit_code = -1;            // -1 when it did not exit by itself
  int signal = 0;                // the signal that ended it, if any
  bool timed_out = false;        // killed at the time limit
  bool output_overflow = false;  // killed for writing more than max_output
  bool exec_failed = false;      // argv[0] could not be run (exit 127 from the child)
  std::string out;
  std::string err;
  std::chrono::microseconds duration{0};

  // "exit 0", "exit 3", "signal 9", "timeout after 30000 ms", ...
  std::string status(const CommandSpec& spec) const;
};

// Throws std::runtime_error only when the process cannot be started at all
// (no pipes, fork failed).
CommandResult run_command(const CommandSpec& spec);

}  // namespace zairyu::conformance
