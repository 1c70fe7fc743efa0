// fuzz_scenario: the conformance harness's scenario parser
// (conformance/scenario/scenario.h). parse_scenario is documented to throw
// ScenarioError and nothing else for any input; anything else escaping aborts.
// An accepted scenario must have a valid id and at least one variant, and
// every rejection must name a field or the document.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "conformance/scenario/scenario.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto scenario = zairyu::conformance::parse_scenario(text, "fuzz.yaml");
    if (!zairyu::conformance::is_valid_scenario_id(scenario.id)) std::abort();
    if (scenario.variants.empty()) std::abort();
  } catch (const zairyu::conformance::ScenarioError& e) {
    if (std::string_view(e.what()).empty()) std::abort();
  }
  return 0;
}
