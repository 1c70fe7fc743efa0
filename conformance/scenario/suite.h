// A suite: a directory of scenario files, optionally ordered by a manifest.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "conformance/scenario/scenario.h"

namespace zairyu::conformance {

// The loaded suite. Scenario ids are unique within it.
struct Suite {
  std::string name;
  std::string version;
  std::uint64_t seed = 0;
  std::filesystem::path directory;
  std::vector<Scenario> scenarios;  // manifest order
};

// Loads `path`: a directory (its suite.yaml manifest if present, else every
// *.yaml file sorted by name) or a manifest file itself. The manifest:
//   name: card        version: 1.0.0        seed: 1
//   scenarios: [pin/*.yaml, select.yaml]   (files or globs, relative, in order;
//                                           a file matched twice runs once)
//   suites: [../card, ../online]           (member suites, directories relative
//                                           to the manifest, loaded the same
//                                           way; their scenarios follow, named
//                                           "<member name>/<file>")
// With `suites` and no `scenarios` the manifest has no scenarios of its own.
// Every scenario's given.base_dir is the directory of the suite holding it.
// Throws ScenarioError (bad manifest or scenario, duplicate id) or
// std::runtime_error (unreadable file).
Suite load_suite(const std::filesystem::path& path);

// Whole file as text; std::runtime_error naming the path if unreadable.
std::string read_text_file(const std::filesystem::path& path);

}  // namespace zairyu::conformance
