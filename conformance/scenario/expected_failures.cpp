#include "conformance/scenario/expected_failures.h"

#include <fnmatch.h>

#include "conformance/scenario/scenario.h"
#include "conformance/scenario/yaml_reader.h"

namespace zairyu::conformance {

bool glob_match(std::string_view pattern, std::string_view text) {
  return fnmatch(std::string(pattern).c_str(), std::string(text).c_str(), 0) == 0;
}

std::vector<ExpectedFailure> parse_expected_failures(std::string_view yaml,
                                                     std::string_view file_name) {
  const std::string file(file_name);
  try {
    const YAML::Node root = YAML::Load(std::string(yaml));
    std::vector<ExpectedFailure> out;
    if (root.IsNull()) return out;
    const YamlReader r(file, {});
    r.require_list(root, "");
    for (std::size_t i = 0; i < root.size(); ++i) {
      const std::string path = index_path("", i);
      r.only_keys(root[i], path, {"scenario", "variant", "check", "comment"});
      ExpectedFailure entry;
      entry.scenario = r.non_empty(root[i]["scenario"], join_path(path, "scenario"));
      if (root[i]["variant"])
        entry.variant = r.text(root[i]["variant"], join_path(path, "variant"));
      if (root[i]["check"]) entry.check = r.non_empty(root[i]["check"], join_path(path, "check"));
      entry.comment = r.non_empty(root[i]["comment"], join_path(path, "comment"));
      out.push_back(std::move(entry));
    }
    return out;
  } catch (const ScenarioError&) {
    throw;
  } catch (const std::exception& e) {
    throw ScenarioError(file, "", std::string("malformed: ") + e.what());
  }
}

}  // namespace zairyu::conformance
