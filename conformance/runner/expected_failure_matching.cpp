#include "conformance/runner/expected_failure_matching.h"

namespace zairyu::conformance {

void apply_expected_failures(std::vector<ScenarioResult>& results,
                             const std::vector<ExpectedFailure>& entries) {
  for (ScenarioResult& run : results) {
    if (run.result == Result::kSkipped) continue;
    for (const ExpectedFailure& entry : entries) {
      if (entry.scenario != run.scenario_id || !glob_match(entry.variant, run.variant)) continue;
      bool matched = false;
      for (StepResult& step : run.steps) {
        for (CheckResult& check : step.checks) {
          if (!check.passed && glob_match(entry.check, check.id)) {
            check.expected = true;
            matched = true;
          }
        }
      }
      if (!matched) run.unexpected_passes.push_back(UnexpectedPass{entry.check, entry.comment});
    }
    bool any_failed = false;
    bool all_expected = true;
    for (const StepResult& step : run.steps) {
      for (const CheckResult& check : step.checks) {
        if (check.passed) continue;
        any_failed = true;
        all_expected = all_expected && check.expected;
      }
    }
    run.expected_failure = any_failed && all_expected;
  }
}

}  // namespace zairyu::conformance
