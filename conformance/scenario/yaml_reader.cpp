#include "conformance/scenario/yaml_reader.h"

#include <algorithm>
#include <charconv>

#include "conformance/scenario/scenario.h"

namespace zairyu::conformance {
namespace {

// A plain scalar's JSON type, as YAML 1.2's core schema would give it
// (integers in decimal only; floats stay strings: no scenario needs them).
nlohmann::json typed_plain_scalar(const std::string& text) {
  if (text == "true") return true;
  if (text == "false") return false;
  if (text == "null" || text == "~") return nullptr;
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  const char* begin = text.data() + (!text.empty() && text[0] == '-' ? 1 : 0);
  if (begin != end && std::all_of(begin, end, [](char c) { return c >= '0' && c <= '9'; })) {
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec == std::errc() && ptr == end) return value;
  }
  return text;
}

bool is_plain(const YAML::Node& node) { return node.Tag() != "!"; }

}  // namespace

std::string join_path(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

std::string index_path(const std::string& parent, std::size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

void YamlReader::fail(const std::string& path, const std::string& message) const {
  throw ScenarioError(file_, path, message);
}

std::string YamlReader::substitute(const std::string& raw, const std::string& path) const {
  std::string out;
  std::size_t pos = 0;
  while (true) {
    const std::size_t start = raw.find("${", pos);
    if (start == std::string::npos) break;
    const std::size_t end = raw.find('}', start + 2);
    if (end == std::string::npos) fail(path, "unterminated ${ in \"" + raw + "\"");
    const std::string name = raw.substr(start + 2, end - start - 2);
    const auto it = vars_.find(name);
    if (it == vars_.end()) fail(path, "unknown variable ${" + name + "} (not in variants)");
    out.append(raw, pos, start - pos);
    out += it->second;
    pos = end + 1;
  }
  out.append(raw, pos, std::string::npos);
  return out;
}

std::string YamlReader::text(const YAML::Node& node, const std::string& path) const {
  if (!node.IsDefined() || node.IsNull()) fail(path, "is required");
  if (!node.IsScalar()) fail(path, "must be a scalar");
  return substitute(node.Scalar(), path);
}

std::string YamlReader::non_empty(const YAML::Node& node, const std::string& path) const {
  std::string value = text(node, path);
  if (value.empty()) fail(path, "must not be empty");
  return value;
}

std::int64_t YamlReader::integer(const YAML::Node& node, const std::string& path, std::int64_t min,
                                 std::int64_t max) const {
  const nlohmann::json value = typed_plain_scalar(text(node, path));
  if (!value.is_number_integer()) fail(path, "must be an integer");
  const auto number = value.get<std::int64_t>();
  if (number < min || number > max) {
    fail(path, "must be " + std::to_string(min) + " to " + std::to_string(max));
  }
  return number;
}

bool YamlReader::boolean(const YAML::Node& node, const std::string& path) const {
  const std::string value = text(node, path);
  if (value == "true") return true;
  if (value == "false") return false;
  fail(path, "must be true or false");
}

std::vector<std::string> YamlReader::strings(const YAML::Node& node,
                                             const std::string& path) const {
  require_list(node, path);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < node.size(); ++i)
    out.push_back(non_empty(node[i], index_path(path, i)));
  return out;
}

void YamlReader::require_map(const YAML::Node& node, const std::string& path) const {
  if (!node.IsMap()) fail(path, "must be a map");
}

void YamlReader::require_list(const YAML::Node& node, const std::string& path) const {
  if (!node.IsSequence()) fail(path, "must be a list");
}

void YamlReader::only_keys(const YAML::Node& map, const std::string& path,
                           std::initializer_list<std::string_view> allowed) const {
  require_map(map, path);
  for (const auto& entry : map) {
    if (!entry.first.IsScalar()) fail(path, "keys must be scalars");
    const std::string& key = entry.first.Scalar();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      fail(join_path(path, key), "unknown field");
    }
  }
}

nlohmann::json YamlReader::to_json(const YAML::Node& node, const std::string& path) const {
  if (!node.IsDefined() || node.IsNull()) return nullptr;
  if (node.IsScalar()) {
    const std::string& raw = node.Scalar();
    if (!is_plain(node)) return substitute(raw, path);
    return typed_plain_scalar(substitute(raw, path));
  }
  if (node.IsSequence()) {
    nlohmann::json out = nlohmann::json::array();
    for (std::size_t i = 0; i < node.size(); ++i)
      out.push_back(to_json(node[i], index_path(path, i)));
    return out;
  }
  nlohmann::json out = nlohmann::json::object();
  for (const auto& entry : node) {
    if (!entry.first.IsScalar()) fail(path, "keys must be scalars");
    const std::string key = entry.first.Scalar();
    if (out.contains(key)) fail(join_path(path, key), "duplicate key");
    out[key] = to_json(entry.second, join_path(path, key));
  }
  return out;
}

}  // namespace zairyu::conformance
