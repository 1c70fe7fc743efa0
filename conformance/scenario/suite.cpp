#include "conformance/scenario/suite.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

#include "conformance/scenario/expected_failures.h"
#include "conformance/scenario/yaml_reader.h"

namespace zairyu::conformance {
namespace {

namespace fs = std::filesystem;

// Every *.yaml below `dir` except the manifest, as paths relative to it, sorted.
std::vector<std::string> scenario_files(const fs::path& dir) {
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".yaml") continue;
    const std::string relative = fs::relative(entry.path(), dir).generic_string();
    if (relative != "suite.yaml") files.push_back(relative);
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

std::string read_text_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

namespace {

// load_suite, with the suite directories being loaded (canonical), outermost
// first: a member suite that is one of them would recurse without end.
Suite load_suite_within(const fs::path& path, std::vector<fs::path>& loading) {
  Suite suite;
  fs::path manifest;
  if (fs::is_directory(path)) {
    suite.directory = path;
    if (fs::exists(path / "suite.yaml")) manifest = path / "suite.yaml";
  } else {
    suite.directory = path.parent_path();
    manifest = path;
  }
  suite.name = fs::absolute(suite.directory).filename().string();
  suite.version = "0";
  loading.push_back(fs::canonical(fs::absolute(suite.directory)));
  const std::vector<std::string> all = scenario_files(suite.directory);
  std::vector<std::string> ordered;
  std::vector<Suite> members;
  if (manifest.empty()) {
    ordered = all;
  } else {
    const std::string file = manifest.filename().string();
    try {
      const YAML::Node root = YAML::Load(read_text_file(manifest));
      const YamlReader r(file, {});
      r.only_keys(root, "", {"name", "version", "seed", "scenarios", "suites"});
      if (root["name"]) suite.name = r.non_empty(root["name"], "name");
      if (root["version"]) suite.version = r.non_empty(root["version"], "version");
      if (root["seed"]) {
        suite.seed = static_cast<std::uint64_t>(r.integer(root["seed"], "seed", 0, INT64_MAX));
      }
      const std::vector<std::string> member_dirs =
          root["suites"] ? r.strings(root["suites"], "suites") : std::vector<std::string>{};
      for (std::size_t i = 0; i < member_dirs.size(); ++i) {
        const fs::path member = manifest.parent_path() / member_dirs[i];
        if (!fs::is_directory(member)) r.fail(index_path("suites", i), "is not a directory");
        const fs::path canonical = fs::canonical(member);
        if (std::find(loading.begin(), loading.end(), canonical) != loading.end()) {
          r.fail(index_path("suites", i), "includes a suite that is being loaded (a cycle)");
        }
        members.push_back(load_suite_within(member, loading));
      }
      std::vector<std::string> patterns;
      if (root["scenarios"]) {
        patterns = r.strings(root["scenarios"], "scenarios");
      } else if (member_dirs.empty()) {
        patterns = {"*.yaml"};
      }
      std::set<std::string> taken;
      for (std::size_t i = 0; i < patterns.size(); ++i) {
        bool matched = false;
        for (const auto& candidate : all) {
          if (!glob_match(patterns[i], candidate)) continue;
          matched = true;
          if (taken.insert(candidate).second) ordered.push_back(candidate);
        }
        if (!matched) r.fail(index_path("scenarios", i), "matches no scenario file");
      }
    } catch (const ScenarioError&) {
      throw;
    } catch (const YAML::Exception& e) {
      throw ScenarioError(file, "", "YAML: " + e.msg);
    }
  }
  for (const auto& relative : ordered) {
    Scenario scenario = parse_scenario(read_text_file(suite.directory / relative), relative);
    for (Variant& v : scenario.variants) v.given.base_dir = suite.directory;
    suite.scenarios.push_back(std::move(scenario));
  }
  for (Suite& member : members) {
    for (Scenario& scenario : member.scenarios) {
      scenario.file = member.name + "/" + scenario.file;
      suite.scenarios.push_back(std::move(scenario));
    }
  }
  std::map<std::string, std::string> seen;  // id -> file
  for (const Scenario& scenario : suite.scenarios) {
    const auto [it, inserted] = seen.emplace(scenario.id, scenario.file);
    if (!inserted) {
      throw ScenarioError(scenario.file, "id", "'" + scenario.id + "' also in " + it->second);
    }
  }
  loading.pop_back();
  return suite;
}

}  // namespace

Suite load_suite(const fs::path& path) {
  std::vector<fs::path> loading;
  return load_suite_within(path, loading);
}

}  // namespace zairyu::conformance
