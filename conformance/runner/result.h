// Results of scenario runs, five-valued as in the OpenID conformance suite.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "conformance/runner/executor.h"
#include "conformance/runner/run_context.h"
#include "conformance/scenario/scenario.h"

namespace zairyu::conformance {

enum class Result { kPassed, kFailed, kSkipped, kWarning, kReview };
std::string_view to_string(Result result);  // "PASSED" ...

// One check's outcome.
struct CheckResult {
  std::string id;
  CheckKind kind = CheckKind::kResult;
  std::string rule;
  Severity severity = Severity::kFailure;
  bool passed = false;
  std::string message;    // what was expected and what was seen
  bool expected = false;  // failed, but listed in the expected failures
};

struct StepResult {
  std::size_t number = 0;  // 1-based
  Action action;
  StepOutcome outcome;
  std::int64_t duration_us = 0;
  std::vector<CheckResult> checks;
};

// An expected-failure entry that matched a run whose checks passed.
struct UnexpectedPass {
  std::string check;  // the entry's check glob
  std::string comment;
};

// One scenario x variant run.
struct ScenarioResult {
  std::string scenario_id;
  std::string title;
  std::string file;
  std::string variant;
  std::vector<RuleRef> rules;
  std::vector<std::string> tags;
  std::uint64_t seed = 0;
  Result result = Result::kPassed;
  std::string skip_reason;
  std::vector<StepResult> steps;
  std::vector<TraceEvent> trace;
  nlohmann::json snapshots = nlohmann::json::object();
  std::int64_t duration_us = 0;
  // Scheduling, for timelines (tools/bench/conformance_speed): the worker
  // that ran it (0-based) and when it started, since the suite started.
  std::size_t worker = 0;
  std::int64_t started_us = 0;
  bool expected_failure = false;  // every failed check is an expected one
  std::vector<UnexpectedPass> unexpected_passes;

  // The first failed check not covered by an expected failure, if any.
  const CheckResult* first_unexpected_failure() const;
  // FAILED without cover, or an expected failure that did not happen.
  bool is_unexpected() const;
  // "CARD-PIN-001" or "CARD-PIN-001[user_category=x]".
  std::string display_name() const;
};

}  // namespace zairyu::conformance
