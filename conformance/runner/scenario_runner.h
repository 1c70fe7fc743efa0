// Runs one scenario variant with one worker's executors.
#pragma once

#include <cstdint>
#include <set>
#include <string>

#include "conformance/runner/executor.h"
#include "conformance/runner/result.h"
#include "conformance/scenario/scenario.h"

namespace zairyu::conformance {

// SKIPPED when the client does not claim a required feature, or when no
// executor of the set supports one of the actions; otherwise runs the steps.
// A step that errs without an `error` check in its expect list fails the
// implicit check "s<n>.completed" and ends the run (later steps would act on
// a state the scenario did not intend). Other failed checks do not stop it.
ScenarioResult run_scenario(const Scenario& scenario, const Variant& variant,
                            ExecutorSet& executors, const std::set<std::string>& features,
                            std::uint64_t seed);

}  // namespace zairyu::conformance
