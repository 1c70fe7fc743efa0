// Expected-failure lists: known gaps of a client that must not break CI, as
// in the OpenID suite's expected-failures files. A matching failure is
// reported as expected; an entry whose check passed is "unexpectedly passed".
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace zairyu::conformance {

// One entry. `variant` and `check` are globs ("*" when absent).
struct ExpectedFailure {
  std::string scenario;  // exact scenario id
  std::string variant = "*";
  std::string check = "*";
  std::string comment;  // required: why the gap is accepted
};

// Parses a YAML list of {scenario, variant?, check?, comment}. Pure; throws
// ScenarioError with the field path ("[2].comment").
std::vector<ExpectedFailure> parse_expected_failures(std::string_view yaml,
                                                     std::string_view file_name);

// Shell-style glob match (fnmatch without special treatment of '/').
bool glob_match(std::string_view pattern, std::string_view text);

}  // namespace zairyu::conformance
