// Applies an expected-failures list to finished runs.
#pragma once

#include <vector>

#include "conformance/runner/result.h"
#include "conformance/scenario/expected_failures.h"

namespace zairyu::conformance {

// For every run that was executed (not SKIPPED) and every entry naming its
// scenario and variant: failed checks the entry's check glob matches become
// `expected`; if it matches no failed check, the entry "unexpectedly passed".
// A run whose failed checks are all expected gets expected_failure = true.
void apply_expected_failures(std::vector<ScenarioResult>& results,
                             const std::vector<ExpectedFailure>& entries);

}  // namespace zairyu::conformance
