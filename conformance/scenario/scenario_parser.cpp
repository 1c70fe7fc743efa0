// parse_scenario: YAML text -> Scenario with its variants expanded.
#include <set>
#include <utility>

#include "conformance/scenario/check_parser.h"
#include "conformance/scenario/scenario.h"
#include "conformance/scenario/yaml_reader.h"

namespace zairyu::conformance {
namespace {

// Bounds that keep a hostile file (or a fuzzer) from exhausting memory.
constexpr std::size_t kMaxDocumentBytes = 1 << 20;
constexpr std::size_t kMaxVariants = 256;
constexpr std::size_t kMaxSteps = 1000;

std::string compose_what(const std::string& file, const std::string& path,
                         const std::string& message) {
  std::string out = file.empty() ? "" : file + ": ";
  return out + (path.empty() ? "" : path + ": ") + message;
}

std::vector<RuleRef> parse_rules(const YamlReader& r, const YAML::Node& node) {
  r.require_list(node, "rules");
  if (node.size() == 0) r.fail("rules", "must list at least one rule");
  std::vector<RuleRef> rules;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < node.size(); ++i) {
    const std::string path = index_path("rules", i);
    r.only_keys(node[i], path, {"id", "source", "seed"});
    RuleRef rule;
    rule.id = r.non_empty(node[i]["id"], join_path(path, "id"));
    if (!is_valid_scenario_id(rule.id))
      r.fail(join_path(path, "id"), "must look like CARD-PIN-001");
    if (!seen.insert(rule.id).second) r.fail(join_path(path, "id"), "duplicate rule");
    rule.source = r.non_empty(node[i]["source"], join_path(path, "source"));
    if (node[i]["seed"]) rule.seed = r.non_empty(node[i]["seed"], join_path(path, "seed"));
    rules.push_back(std::move(rule));
  }
  return rules;
}

// The `variants` matrix: each key's values, in file order.
std::vector<std::pair<std::string, std::vector<std::string>>> parse_matrix(const YamlReader& r,
                                                                           const YAML::Node& node) {
  std::vector<std::pair<std::string, std::vector<std::string>>> matrix;
  if (!node) return matrix;
  r.require_map(node, "variants");
  std::size_t product = 1;
  for (const auto& entry : node) {
    const std::string name = r.non_empty(entry.first, "variants");
    const std::string path = join_path("variants", name);
    std::vector<std::string> values = r.strings(entry.second, path);
    if (values.empty()) r.fail(path, "must list at least one value");
    product *= values.size();
    if (product > kMaxVariants) r.fail("variants", "expands to more than 256 runs");
    matrix.emplace_back(name, std::move(values));
  }
  return matrix;
}

TriesLeft parse_tries(const YamlReader& r, const YAML::Node& node, const std::string& path) {
  r.only_keys(node, path, {"auth", "sign", "input_helper"});
  TriesLeft tries;
  if (node["auth"])
    tries.auth = static_cast<int>(r.integer(node["auth"], join_path(path, "auth"), 0, 3));
  if (node["sign"])
    tries.sign = static_cast<int>(r.integer(node["sign"], join_path(path, "sign"), 0, 5));
  if (node["input_helper"]) {
    tries.input_helper =
        static_cast<int>(r.integer(node["input_helper"], join_path(path, "input_helper"), 0, 3));
  }
  return tries;
}

CardSetup parse_card(const YamlReader& r, const YAML::Node& node, const std::string& path) {
  r.only_keys(node, path, {"persona", "slot", "tries_left", "certificates"});
  CardSetup card;
  card.persona = r.non_empty(node["persona"], join_path(path, "persona"));
  if (node["slot"])
    card.slot = static_cast<int>(r.integer(node["slot"], join_path(path, "slot"), 0, 63));
  if (node["tries_left"])
    card.tries_left = parse_tries(r, node["tries_left"], join_path(path, "tries_left"));
  if (node["certificates"]) {
    const std::string certs = join_path(path, "certificates");
    r.only_keys(node["certificates"], certs, {"auth", "sign"});
    for (const auto& entry : node["certificates"]) {
      const std::string which = entry.first.Scalar();
      const std::string state = r.text(entry.second, join_path(certs, which));
      static const std::set<std::string> kStates{"valid", "expired", "not_yet_valid", "revoked"};
      if (!kStates.count(state)) {
        r.fail(join_path(certs, which), "must be valid, expired, not_yet_valid or revoked");
      }
      card.certificates[which] = state;
    }
  }
  return card;
}

Given parse_given(const YamlReader& r, const YAML::Node& node) {
  Given given;
  if (!node) return given;
  r.only_keys(node, "given", {"personas", "clock", "origin", "faults", "rule_set_date"});
  if (node["personas"]) {
    r.require_list(node["personas"], "given.personas");
    std::set<int> slots;
    for (std::size_t i = 0; i < node["personas"].size(); ++i) {
      const std::string path = index_path("given.personas", i);
      given.cards.push_back(parse_card(r, node["personas"][i], path));
      if (!slots.insert(given.cards.back().slot).second)
        r.fail(join_path(path, "slot"), "slot used twice");
    }
  }
  if (node["clock"]) given.clock = r.non_empty(node["clock"], "given.clock");
  if (node["origin"]) {
    r.only_keys(node["origin"], "given.origin", {"ip", "country"});
    Origin origin;
    if (node["origin"]["ip"]) origin.ip = r.non_empty(node["origin"]["ip"], "given.origin.ip");
    if (node["origin"]["country"]) {
      origin.country = r.non_empty(node["origin"]["country"], "given.origin.country");
    }
    if (origin.ip.empty() == origin.country.empty())
      r.fail("given.origin", "needs exactly one of ip or country");
    given.origin = origin;
  }
  if (node["faults"]) {
    r.require_list(node["faults"], "given.faults");
    given.faults = r.to_json(node["faults"], "given.faults");
  }
  if (node["rule_set_date"])
    given.rule_set_date = r.non_empty(node["rule_set_date"], "given.rule_set_date");
  return given;
}

Step parse_step(const YamlReader& r, const YAML::Node& node, const std::string& path,
                const std::vector<RuleRef>& rules, std::size_t number) {
  r.only_keys(node, path, {"client", "control", "card", "args", "expect", "note"});
  Step step;
  int kinds = 0;
  for (const auto& [key, kind] :
       {std::pair{"client", ActionKind::kClient}, std::pair{"control", ActionKind::kControl},
        std::pair{"card", ActionKind::kCard}}) {
    if (!node[key]) continue;
    ++kinds;
    step.action.kind = kind;
    step.action.name = r.non_empty(node[key], join_path(path, key));
  }
  if (kinds != 1) r.fail(path, "needs exactly one of client, control, card");
  if (node["args"]) {
    r.require_map(node["args"], join_path(path, "args"));
    step.action.args = r.to_json(node["args"], join_path(path, "args"));
  }
  if (node["expect"])
    step.expect = parse_expect(r, node["expect"], join_path(path, "expect"), rules, number);
  return step;
}

Variant parse_variant(const std::string& file, const YAML::Node& root,
                      std::map<std::string, std::string> values,
                      const std::vector<RuleRef>& rules) {
  Variant variant;
  for (const auto& [name, value] : values) {
    variant.name += (variant.name.empty() ? "" : ",") + name + "=" + value;
  }
  YamlReader r(file, values);
  variant.values = std::move(values);
  variant.given = parse_given(r, root["given"]);
  r.require_list(root["steps"], "steps");
  if (root["steps"].size() == 0) r.fail("steps", "must list at least one step");
  if (root["steps"].size() > kMaxSteps) r.fail("steps", "more than 1000 steps");
  std::set<std::string> check_ids;
  for (std::size_t i = 0; i < root["steps"].size(); ++i) {
    const std::string path = index_path("steps", i);
    variant.steps.push_back(parse_step(r, root["steps"][i], path, rules, i + 1));
    for (const Check& check : variant.steps.back().expect) {
      if (!check_ids.insert(check.id).second)
        r.fail(path, "check id '" + check.id + "' used twice");
    }
  }
  return variant;
}

Scenario parse_document(std::string_view yaml, const std::string& file) {
  if (yaml.size() > kMaxDocumentBytes) throw ScenarioError(file, "", "larger than 1 MiB");
  const YAML::Node root = YAML::Load(std::string(yaml));
  const YamlReader header(file, {});
  header.only_keys(root, "",
                   {"id", "title", "rules", "tags", "requires", "variants", "given", "steps"});
  Scenario s;
  s.file = file;
  s.id = header.non_empty(root["id"], "id");
  if (!is_valid_scenario_id(s.id)) header.fail("id", "must look like CARD-PIN-001");
  s.title = header.non_empty(root["title"], "title");
  s.rules = parse_rules(header, root["rules"]);
  if (root["tags"]) s.tags = header.strings(root["tags"], "tags");
  if (root["requires"]) s.requires_features = header.strings(root["requires"], "requires");

  // Cartesian product of the matrix, first key outermost.
  std::vector<std::map<std::string, std::string>> combos{{}};
  for (const auto& [name, values] : parse_matrix(header, root["variants"])) {
    std::vector<std::map<std::string, std::string>> next;
    for (const auto& combo : combos) {
      for (const auto& value : values) {
        auto extended = combo;
        extended[name] = value;
        next.push_back(std::move(extended));
      }
    }
    combos = std::move(next);
  }
  for (auto& combo : combos)
    s.variants.push_back(parse_variant(file, root, std::move(combo), s.rules));
  return s;
}

}  // namespace

ScenarioError::ScenarioError(std::string file, std::string field_path, std::string message)
    : std::runtime_error(compose_what(file, field_path, message)),
      file_(std::move(file)),
      field_path_(std::move(field_path)),
      message_(std::move(message)) {}

std::string_view to_string(ActionKind kind) {
  switch (kind) {
    case ActionKind::kClient:
      return "client";
    case ActionKind::kControl:
      return "control";
    case ActionKind::kCard:
      return "card";
  }
  return "?";
}

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::kFailure:
      return "failure";
    case Severity::kWarning:
      return "warning";
    case Severity::kReview:
      return "review";
  }
  return "?";
}

std::string_view to_string(CheckKind kind) {
  switch (kind) {
    case CheckKind::kResult:
      return "result";
    case CheckKind::kError:
      return "error";
    case CheckKind::kValue:
      return "value";
    case CheckKind::kOutbox:
      return "outbox";
    case CheckKind::kAudit:
      return "audit";
    case CheckKind::kApdus:
      return "apdus";
  }
  return "?";
}

bool is_valid_scenario_id(std::string_view id) {
  if (id.size() > 64) return false;
  std::size_t segments = 0;
  std::size_t start = 0;
  while (start <= id.size()) {
    std::size_t end = id.find('-', start);
    if (end == std::string_view::npos) end = id.size();
    const std::string_view segment = id.substr(start, end - start);
    if (segment.empty()) return false;
    for (char c : segment) {
      if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
    }
    ++segments;
    if (end == id.size()) {
      const bool digits3 =
          segment.size() == 3 && segment.find_first_not_of("0123456789") == std::string_view::npos;
      return segments >= 2 && segments <= 4 && digits3;
    }
    start = end + 1;
  }
  return false;
}

Scenario parse_scenario(std::string_view yaml, std::string_view file_name) {
  const std::string file(file_name);
  try {
    return parse_document(yaml, file);
  } catch (const ScenarioError&) {
    throw;
  } catch (const YAML::Exception& e) {
    throw ScenarioError(file, "",
                        "YAML: " + e.msg + " (line " + std::to_string(e.mark.line + 1) + ")");
  } catch (const std::exception& e) {
    throw ScenarioError(file, "", std::string("malformed: ") + e.what());
  }
}

}  // namespace zairyu::conformance
