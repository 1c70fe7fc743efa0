// JUnit XML for CI: one <testsuite> per suite, one <testcase> per scenario x
// variant. A failure names the failing check and the rule it tests.
#pragma once

#include <string>
#include <string_view>

#include "conformance/runner/suite_runner.h"

namespace zairyu::conformance {

std::string junit_xml(const SuiteRun& run);

// Text escaped for XML 1.0 content and attributes; characters XML cannot
// carry (C0 controls other than tab/LF/CR) become U+FFFD.
std::string xml_escape(std::string_view text);

}  // namespace zairyu::conformance
