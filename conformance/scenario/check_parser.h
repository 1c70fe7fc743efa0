// Parsing of one step's `expect` list into Checks (part of parse_scenario).
#pragma once

#include <string>
#include <vector>

#include "conformance/scenario/scenario.h"
#include "conformance/scenario/yaml_reader.h"

namespace zairyu::conformance {

// `rules` are the scenario's rules: a check's `rule` must be one of them and
// defaults to the first. `step_number` is 1-based (for default check ids).
std::vector<Check> parse_expect(const YamlReader& reader, const YAML::Node& node,
                                const std::string& path, const std::vector<RuleRef>& rules,
                                std::size_t step_number);

}  // namespace zairyu::conformance
