// Path-aware, strict reading of YAML nodes for the scenario parser: every
// error names the field path, every scalar goes through ${var} substitution.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>

#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

namespace zairyu::conformance {

// Reads one scenario file's nodes for one variant.
class YamlReader {
 public:
  YamlReader(std::string file, std::map<std::string, std::string> vars)
      : file_(std::move(file)), vars_(std::move(vars)) {}

  // Throws ScenarioError(file, path, message).
  [[noreturn]] void fail(const std::string& path, const std::string& message) const;

  // A scalar's text with ${var} replaced. Fails unless `node` is a scalar.
  std::string text(const YAML::Node& node, const std::string& path) const;
  // A non-empty scalar.
  std::string non_empty(const YAML::Node& node, const std::string& path) const;
  std::int64_t integer(const YAML::Node& node, const std::string& path, std::int64_t min,
                       std::int64_t max) const;
  bool boolean(const YAML::Node& node, const std::string& path) const;
  // A list of non-empty scalars (a single scalar is not accepted).
  std::vector<std::string> strings(const YAML::Node& node, const std::string& path) const;

  void require_map(const YAML::Node& node, const std::string& path) const;
  void require_list(const YAML::Node& node, const std::string& path) const;
  // Fails on a key not in `allowed` (or a non-scalar key).
  void only_keys(const YAML::Node& map, const std::string& path,
                 std::initializer_list<std::string_view> allowed) const;

  // Any node as JSON. Plain scalars that read (after substitution) as
  // integers, true/false or null become those types, so `tries: ${n}` is a
  // number; quoted scalars stay strings.
  nlohmann::json to_json(const YAML::Node& node, const std::string& path) const;

 private:
  std::string substitute(const std::string& raw, const std::string& path) const;

  std::string file_;
  std::map<std::string, std::string> vars_;
};

// "a" + "b" -> "a.b"; "" + "b" -> "b".
std::string join_path(const std::string& parent, std::string_view key);
// "a" + 3 -> "a[3]".
std::string index_path(const std::string& parent, std::size_t index);

}  // namespace zairyu::conformance
