// Progress on stderr while a suite runs. On a terminal: one line rewritten in
// place ("[12/40] 1 failed  CARD-PIN-003"); otherwise (CI logs) one line per
// finished run, so logs stay readable. Thread-safe.
#pragma once

#include <cstdio>
#include <mutex>

#include "conformance/runner/result.h"

namespace zairyu::conformance {

class Progress {
 public:
  // `tty` says whether `out` is a terminal (isatty in the binary).
  Progress(std::FILE* out, std::size_t total, bool tty);
  void finished(const ScenarioResult& result);
  // Ends the in-place line on a terminal.
  void done();
  // Ends the line and prints nothing more: the run is being stopped (a
  // signal), so the runs still finishing would only show its side effects.
  void stop();

 private:
  void end_line_locked();

  std::mutex mutex_;
  std::FILE* out_;
  std::size_t total_;
  bool tty_;
  std::size_t count_ = 0;
  std::size_t failed_ = 0;
  bool stopped_ = false;
};

}  // namespace zairyu::conformance
