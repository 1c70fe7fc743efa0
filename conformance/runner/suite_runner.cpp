#include "conformance/runner/suite_runner.h"

#include <chrono>
#include <ctime>
#include <optional>
#include <thread>

#include "conformance/runner/expected_failure_matching.h"
#include "conformance/runner/scenario_runner.h"
#include "conformance/runner/schedule.h"

namespace zairyu::conformance {
namespace {

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

}  // namespace

Summary SuiteRun::summary() const {
  Summary s;
  for (const ScenarioResult& r : results) {
    ++s.total;
    switch (r.result) {
      case Result::kPassed:
        ++s.passed;
        break;
      case Result::kFailed:
        ++s.failed;
        break;
      case Result::kSkipped:
        ++s.skipped;
        break;
      case Result::kWarning:
        ++s.warning;
        break;
      case Result::kReview:
        ++s.review;
        break;
    }
    if (r.expected_failure) ++s.expected_failures;
    if (r.is_unexpected()) ++s.unexpected;
    s.unexpected_passes += r.unexpected_passes.size();
  }
  return s;
}

std::vector<RunItem> planned_runs(const Suite& suite, const RunOptions& options) {
  return select_runs(suite, options.filters, options.shard, options.shard_mode);
}

SuiteRun run_suite(const Suite& suite, const RunOptions& options, const ExecutorFactory& factory,
                   Progress* progress) {
  SuiteRun run;
  run.suite_name = suite.name;
  run.suite_version = suite.version;
  run.seed = options.seed.value_or(suite.seed);
  run.transport = options.transport;
  run.started_at = utc_now();
  const auto started = std::chrono::steady_clock::now();

  const std::vector<RunItem> items = planned_runs(suite, options);
  const std::size_t worker_count =
      std::max<std::size_t>(1, std::min(options.workers, items.size()));
  std::vector<ExecutorSet> sets;
  for (std::size_t w = 0; w < worker_count; ++w) sets.push_back(factory(w));

  std::set<std::string> features;
  if (options.features) {
    features = *options.features;
  } else {
    for (const auto& [kind, executor] : sets.front()) {
      for (const std::string& f : executor->features()) features.insert(f);
    }
  }
  run.features.assign(features.begin(), features.end());

  run.results.resize(items.size());
  // Microseconds since the suite started.
  auto since_start = [&] {
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                                 started)
        .count();
  };
  RunQueue queue(suite, items);
  auto work = [&](std::size_t worker) {
    while (const std::optional<std::size_t> taken = queue.take()) {
      const std::size_t i = *taken;
      const Scenario& scenario = suite.scenarios[items[i].scenario];
      const Variant& variant = scenario.variants[items[i].variant];
      const std::int64_t run_started = since_start();
      run.results[i] = run_scenario(scenario, variant, sets[worker], features,
                                    run_seed(run.seed, scenario.id, variant.name));
      run.results[i].worker = worker;
      run.results[i].started_us = run_started;
      queue.finished(i);
      if (progress != nullptr) progress->finished(run.results[i]);
    }
  };
  std::vector<std::thread> threads;
  for (std::size_t w = 1; w < worker_count; ++w) threads.emplace_back(work, w);
  work(0);
  for (std::thread& t : threads) t.join();
  if (progress != nullptr) progress->done();

  apply_expected_failures(run.results, options.expected_failures);
  run.duration_us = since_start();
  return run;
}

}  // namespace zairyu::conformance
