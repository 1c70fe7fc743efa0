// The order in which a suite's workers take their runs: longest expected
// first (LPT), so no worker is left with a long run while the others idle at
// the end. Results are still reported in suite order (suite_runner.h).
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

#include "conformance/runner/selection.h"
#include "conformance/scenario/scenario.h"

namespace zairyu::conformance {

// What one run waits for, in milliseconds: each card removal or insertion
// (a pcscd poll period, 400 ms, over the pcsc transport) and each fault of
// `given` (its latency_ms, else a client retry). Waiting uses no CPU.
std::int64_t expected_wait_ms(const Variant& variant);

// A rough cost of one run in milliseconds: its waits plus a few milliseconds
// per step. Only the order of the costs matters.
std::int64_t expected_cost_ms(const Variant& variant);

// Indices into `items`: the costliest run first; equal costs keep suite order.
std::vector<std::size_t> dispatch_order(const Suite& suite, const std::vector<RunItem>& items);

// The runs of a suite as the workers take them: in dispatch_order, except
// that while one worker's run mostly waits (expected_wait_ms > 0), the others
// take runs that compute, so waits overlap work instead of each other (on 2
// cores, two computing runs slow each other down; a waiting one does not).
// Two waiting runs go side by side only when nothing else is left. Which
// worker runs what never changes a result: runs are isolated. Thread-safe.
class RunQueue {
 public:
  RunQueue(const Suite& suite, const std::vector<RunItem>& items);
  // The next run (an index into `items`), or nullopt when all are taken.
  std::optional<std::size_t> take();
  // A run that take() returned has finished.
  void finished(std::size_t item);

 private:
  std::mutex mu_;
  std::vector<std::size_t> pending_;  // dispatch order
  std::vector<bool> waits_;           // per item
  int waiting_ = 0;                   // waiting runs taken and not finished
};

}  // namespace zairyu::conformance
