// The order in which a suite's workers take their runs: longest expected
// first (LPT), so no worker is left with a long run while the others idle at
// the end. Results are still reported in suite order (suite_runner.h).
#pragma once

#include <cstdint>
#include <vector>

#include "conformance/runner/selection.h"
#include "conformance/scenario/scenario.h"

namespace zairyu::conformance {

// A rough cost of one run in milliseconds, from what its steps wait for:
// each card removal or insertion (a pcscd poll period, 400 ms, over the pcsc
// transport), each fault of `given` (its latency_ms, else a client retry),
// plus a few milliseconds per step. Only the order of the costs matters.
std::int64_t expected_cost_ms(const Variant& variant);

// Indices into `items`: the costliest run first; equal costs keep suite order.
std::vector<std::size_t> dispatch_order(const Suite& suite, const std::vector<RunItem>& items);

}  // namespace zairyu::conformance
