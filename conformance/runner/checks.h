// Evaluation of one Check against a step's outcome and the run so far.
#pragma once

#include <cstddef>

#include "conformance/runner/executor.h"
#include "conformance/runner/result.h"
#include "conformance/runner/run_context.h"
#include "conformance/scenario/scenario.h"

namespace zairyu::conformance {

// `first_apdu_of_step` is the index into context.apdus() of the step's first
// APDU (for `since: step`). Never throws for a well-formed Check.
CheckResult evaluate_check(const Check& check, const StepOutcome& outcome,
                           const RunContext& context, std::size_t first_apdu_of_step);

}  // namespace zairyu::conformance
