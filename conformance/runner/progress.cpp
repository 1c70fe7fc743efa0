#include "conformance/runner/progress.h"

namespace zairyu::conformance {

Progress::Progress(std::FILE* out, std::size_t total, bool tty)
    : out_(out), total_(total), tty_(tty) {}

void Progress::finished(const ScenarioResult& result) {
  std::lock_guard lock(mutex_);
  if (stopped_) return;
  ++count_;
  if (result.is_unexpected()) ++failed_;
  const std::string name = result.display_name();
  if (tty_) {
    // \x1b[K clears what a longer previous name left on the line.
    std::fprintf(out_, "\r[%zu/%zu] %zu failed  %s\x1b[K", count_, total_, failed_, name.c_str());
  } else {
    std::fprintf(out_, "[%zu/%zu] %-7s %s (%lld ms)\n", count_, total_,
                 std::string(to_string(result.result)).c_str(), name.c_str(),
                 static_cast<long long>(result.duration_us / 1000));
  }
  std::fflush(out_);
}

void Progress::done() {
  std::lock_guard lock(mutex_);
  if (!stopped_) end_line_locked();
}

void Progress::stop() {
  std::lock_guard lock(mutex_);
  if (!stopped_) end_line_locked();
  stopped_ = true;
}

void Progress::end_line_locked() {
  if (tty_ && count_ > 0) std::fputc('\n', out_);
  std::fflush(out_);
}

}  // namespace zairyu::conformance
