// The JSON report: everything a run produced, in one document. The HTML
// report embeds it and the certification report extends it.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "conformance/runner/suite_runner.h"

namespace zairyu::conformance {

inline constexpr const char* kReportFormat = "zairyu-conformance-report/1";

nlohmann::json report_json(const SuiteRun& run);

// Compact JSON text; invalid UTF-8 (from a hostile card) is replaced, never thrown on.
std::string dump_json(const nlohmann::json& value, int indent = -1);

}  // namespace zairyu::conformance
