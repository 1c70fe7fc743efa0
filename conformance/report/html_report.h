// The self-contained HTML report: one file, inline CSS and JS, no external
// resources, opens from disk. The JSON report is embedded in a
// <script type="application/json"> element and the page's JS renders it.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace zairyu::conformance {

std::string html_report(const nlohmann::json& report);

// The JSON text embedded by html_report, or "" when there is none.
std::string extract_embedded_report(std::string_view html);

}  // namespace zairyu::conformance
