// Runs a selection of a suite over a pool of isolated workers.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "conformance/runner/executor.h"
#include "conformance/runner/progress.h"
#include "conformance/runner/result.h"
#include "conformance/runner/selection.h"
#include "conformance/scenario/expected_failures.h"
#include "conformance/scenario/suite.h"

namespace zairyu::conformance {

struct RunOptions {
  std::vector<std::string> filters;
  Shard shard;
  ShardMode shard_mode = ShardMode::kHash;
  std::size_t workers = 1;
  std::optional<std::uint64_t> seed;  // replaces the suite's seed
  // Features the client under test declares; unset: what the executors offer.
  std::optional<std::set<std::string>> features;
  std::vector<ExpectedFailure> expected_failures;
  std::string transport = "direct";
};

struct Summary {
  std::size_t total = 0, passed = 0, failed = 0, skipped = 0, warning = 0, review = 0;
  std::size_t expected_failures = 0;  // FAILED/WARNING/REVIEW runs fully covered
  std::size_t unexpected = 0;         // runs that make the exit code non-zero
  std::size_t unexpected_passes = 0;  // expected-failure entries that did not fail
};

struct SuiteRun {
  std::string suite_name;
  std::string suite_version;
  std::uint64_t seed = 0;
  std::string transport;
  std::vector<std::string> features;  // sorted
  std::string started_at;             // UTC, ISO 8601
  std::int64_t duration_us = 0;
  std::vector<ScenarioResult> results;  // suite order, whatever the worker count
  Summary summary() const;
};

// Each worker gets its own ExecutorSet from `factory` and takes the next run
// from a shared queue, costliest first (schedule.h); results land in suite
// order, so reports do not depend on scheduling. `progress` may be null.
SuiteRun run_suite(const Suite& suite, const RunOptions& options, const ExecutorFactory& factory,
                   Progress* progress);

// The runs run_suite would execute (for `list`).
std::vector<RunItem> planned_runs(const Suite& suite, const RunOptions& options);

}  // namespace zairyu::conformance
