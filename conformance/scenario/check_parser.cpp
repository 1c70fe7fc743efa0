#include "conformance/scenario/check_parser.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>
#include <utility>

namespace zairyu::conformance {
namespace {

constexpr std::array<std::pair<std::string_view, CheckKind>, 6> kKinds{{
    {"result", CheckKind::kResult},
    {"error", CheckKind::kError},
    {"value", CheckKind::kValue},
    {"outbox", CheckKind::kOutbox},
    {"audit", CheckKind::kAudit},
    {"apdus", CheckKind::kApdus},
}};

// One hex byte ("20", "a4") -> "20"/"A4"; fails otherwise.
std::string hex_byte(const YamlReader& r, const YAML::Node& node, const std::string& path) {
  std::string value = r.text(node, path);
  if (value.size() != 2 || !std::isxdigit(static_cast<unsigned char>(value[0])) ||
      !std::isxdigit(static_cast<unsigned char>(value[1]))) {
    r.fail(path, "must be one hex byte like \"20\"");
  }
  std::transform(value.begin(), value.end(), value.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return value;
}

// A status word ("63C1", "63 C1") -> "63C1".
std::string status_word(const YamlReader& r, const YAML::Node& node, const std::string& path) {
  std::string value = r.text(node, path);
  value.erase(std::remove(value.begin(), value.end(), ' '), value.end());
  if (value.size() != 4 || !std::all_of(value.begin(), value.end(),
                                        [](unsigned char c) { return std::isxdigit(c) != 0; })) {
    r.fail(path, "must be a status word like \"63C1\"");
  }
  std::transform(value.begin(), value.end(), value.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return value;
}

// The APDU selector fields shared by `apdus` and its `none_after` trigger.
void parse_selector(const YamlReader& r, const YAML::Node& node, const std::string& path,
                    nlohmann::json& out) {
  for (const char* field : {"cla", "ins", "p1", "p2"}) {
    if (node[field]) out[field] = hex_byte(r, node[field], join_path(path, field));
  }
  if (node["with_data"])
    out["with_data"] = r.boolean(node["with_data"], join_path(path, "with_data"));
}

nlohmann::json parse_apdus(const YamlReader& r, const YAML::Node& node, const std::string& path) {
  r.only_keys(node, path,
              {"cla", "ins", "p1", "p2", "with_data", "count", "none_after", "last_sw", "since"});
  nlohmann::json out = nlohmann::json::object();
  parse_selector(r, node, path, out);
  if (node["count"]) out["count"] = r.integer(node["count"], join_path(path, "count"), 0, 100000);
  if (node["last_sw"]) out["last_sw"] = status_word(r, node["last_sw"], join_path(path, "last_sw"));
  if (node["none_after"]) {
    const std::string sub = join_path(path, "none_after");
    r.only_keys(node["none_after"], sub, {"sw", "cla", "ins", "p1", "p2", "with_data"});
    nlohmann::json trigger = nlohmann::json::object();
    trigger["sw"] = status_word(r, node["none_after"]["sw"], join_path(sub, "sw"));
    parse_selector(r, node["none_after"], sub, trigger);
    out["none_after"] = trigger;
  }
  if (!out.contains("count") && !out.contains("last_sw") && !out.contains("none_after")) {
    r.fail(path, "needs count, last_sw or none_after");
  }
  out["since"] = "scenario";
  if (node["since"]) {
    const std::string since = r.text(node["since"], join_path(path, "since"));
    if (since != "scenario" && since != "step")
      r.fail(join_path(path, "since"), "must be scenario or step");
    out["since"] = since;
  }
  return out;
}

nlohmann::json parse_value(const YamlReader& r, const YAML::Node& node, const std::string& path) {
  r.only_keys(node, path, {"path", "equals", "contains"});
  nlohmann::json out = nlohmann::json::object();
  out["path"] = r.non_empty(node["path"], join_path(path, "path"));
  if (node["equals"]) out["equals"] = r.to_json(node["equals"], join_path(path, "equals"));
  if (node["contains"]) out["contains"] = r.text(node["contains"], join_path(path, "contains"));
  if (out.size() != 2) r.fail(path, "needs exactly one of equals or contains");
  return out;
}

nlohmann::json parse_outbox(const YamlReader& r, const YAML::Node& node, const std::string& path) {
  r.only_keys(node, path, {"to", "subject_contains", "body_contains", "count"});
  nlohmann::json out = nlohmann::json::object();
  for (const char* field : {"to", "subject_contains", "body_contains"}) {
    if (node[field]) out[field] = r.non_empty(node[field], join_path(path, field));
  }
  if (node["count"]) out["count"] = r.integer(node["count"], join_path(path, "count"), 0, 100000);
  return out;
}

nlohmann::json parse_audit(const YamlReader& r, const YAML::Node& node, const std::string& path) {
  r.only_keys(node, path, {"event", "reason", "count"});
  nlohmann::json out = nlohmann::json::object();
  out["event"] = r.non_empty(node["event"], join_path(path, "event"));
  if (node["reason"]) out["reason"] = r.non_empty(node["reason"], join_path(path, "reason"));
  if (node["count"]) out["count"] = r.integer(node["count"], join_path(path, "count"), 0, 100000);
  return out;
}

nlohmann::json parse_params(const YamlReader& r, CheckKind kind, const YAML::Node& node,
                            const std::string& path) {
  switch (kind) {
    case CheckKind::kResult:
      if (r.text(node, path) != "ok") r.fail(path, "must be ok (use error: REASON for failures)");
      return "ok";
    case CheckKind::kError:
      return r.non_empty(node, path);
    case CheckKind::kValue:
      return parse_value(r, node, path);
    case CheckKind::kOutbox:
      return parse_outbox(r, node, path);
    case CheckKind::kAudit:
      return parse_audit(r, node, path);
    case CheckKind::kApdus:
      return parse_apdus(r, node, path);
  }
  r.fail(path, "unknown check kind");
}

Severity parse_severity(const YamlReader& r, const YAML::Node& node, const std::string& path) {
  const std::string value = r.text(node, path);
  if (value == "failure") return Severity::kFailure;
  if (value == "warning") return Severity::kWarning;
  if (value == "review") return Severity::kReview;
  r.fail(path, "must be failure, warning or review");
}

}  // namespace

std::vector<Check> parse_expect(const YamlReader& r, const YAML::Node& node,
                                const std::string& path, const std::vector<RuleRef>& rules,
                                std::size_t step_number) {
  r.require_list(node, path);
  std::vector<Check> checks;
  for (std::size_t i = 0; i < node.size(); ++i) {
    const std::string item_path = index_path(path, i);
    const YAML::Node item = node[i];
    r.only_keys(
        item, item_path,
        {"result", "error", "value", "outbox", "audit", "apdus", "rule", "severity", "id", "note"});
    Check check;
    int kinds_found = 0;
    for (const auto& [name, kind] : kKinds) {
      const YAML::Node params = item[std::string(name)];
      if (!params) continue;
      ++kinds_found;
      check.kind = kind;
      check.params = parse_params(r, kind, params, join_path(item_path, name));
    }
    if (kinds_found != 1) {
      r.fail(item_path, "needs exactly one of result, error, value, outbox, audit, apdus");
    }
    check.rule = rules.front().id;
    if (item["rule"]) {
      check.rule = r.non_empty(item["rule"], join_path(item_path, "rule"));
      const bool known = std::any_of(rules.begin(), rules.end(),
                                     [&](const RuleRef& rule) { return rule.id == check.rule; });
      if (!known) r.fail(join_path(item_path, "rule"), "'" + check.rule + "' is not in rules");
    }
    if (item["severity"])
      check.severity = parse_severity(r, item["severity"], join_path(item_path, "severity"));
    check.id = item["id"] ? r.non_empty(item["id"], join_path(item_path, "id"))
                          : "s" + std::to_string(step_number) + "." + std::to_string(i + 1);
    if (item["note"]) check.note = r.text(item["note"], join_path(item_path, "note"));
    checks.push_back(std::move(check));
  }
  return checks;
}

}  // namespace zairyu::conformance
