#include "conformance/runner/result.h"

namespace zairyu::conformance {

std::string_view to_string(Result result) {
  switch (result) {
    case Result::kPassed:
      return "PASSED";
    case Result::kFailed:
      return "FAILED";
    case Result::kSkipped:
      return "SKIPPED";
    case Result::kWarning:
      return "WARNING";
    case Result::kReview:
      return "REVIEW";
  }
  return "?";
}

const CheckResult* ScenarioResult::first_unexpected_failure() const {
  for (const StepResult& step : steps) {
    for (const CheckResult& check : step.checks) {
      if (!check.passed && !check.expected && check.severity == Severity::kFailure) return &check;
    }
  }
  return nullptr;
}

bool ScenarioResult::is_unexpected() const {
  return (result == Result::kFailed && !expected_failure) || !unexpected_passes.empty();
}

std::string ScenarioResult::display_name() const {
  return variant.empty() ? scenario_id : scenario_id + "[" + variant + "]";
}

}  // namespace zairyu::conformance
