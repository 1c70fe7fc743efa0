// Scenario model: one conformance scenario as parsed from one YAML file,
// already expanded into its variants. The format is documented in
// conformance/README.md.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace zairyu::conformance {

// A rejected scenario. field_path() names the offending field
// ("steps[2].expect[0].apdus.ins"); what() is "<file>: <path>: <message>".
class ScenarioError : public std::runtime_error {
 public:
  ScenarioError(std::string file, std::string field_path, std::string message);
  const std::string& file() const { return file_; }
  const std::string& field_path() const { return field_path_; }
  const std::string& message() const { return message_; }

 private:
  std::string file_;
  std::string field_path_;
  std::string message_;
};

// A rule a scenario tests: its id plus where it is written down.
struct RuleRef {
  std::string id;      // "CARD-PIN-002"
  std::string source;  // "my-number-card.md §4"
  std::string seed;    // a seed document, may be empty
};

// Who performs an action: the client under test, the emulator's control
// plane, or the card itself (APDU level).
enum class ActionKind { kClient, kControl, kCard };
std::string_view to_string(ActionKind kind);

struct Action {
  ActionKind kind = ActionKind::kCard;
  std::string name;  // "verify_pin", "clock.advance", "login"
  nlohmann::json args = nlohmann::json::object();
};

// How much a failed check weighs (OpenID suite: FAILURE / WARNING / REVIEW).
enum class Severity { kFailure, kWarning, kReview };
std::string_view to_string(Severity severity);

enum class CheckKind { kResult, kError, kValue, kOutbox, kAudit, kApdus };
std::string_view to_string(CheckKind kind);

// One condition, tagged with the one rule it tests. `params` holds the
// check's own fields as validated by the parser (e.g. {"path":..,"equals":..}).
struct Check {
  std::string id;  // unique in the scenario: given, or "s<step>.<n>" (both 1-based)
  CheckKind kind = CheckKind::kResult;
  nlohmann::json params;
  std::string rule;
  Severity severity = Severity::kFailure;
  std::string note;
};

struct Step {
  Action action;
  std::vector<Check> expect;
};

// Starting PIN retry counters for a card; unset means "as the persona says".
struct TriesLeft {
  std::optional<int> auth;
  std::optional<int> sign;
  std::optional<int> input_helper;
};

// One persona's card in a reader slot.
struct CardSetup {
  std::string persona;
  int slot = 0;
  TriesLeft tries_left;
  // Certificate state overrides the emulator applies ("auth" -> "expired").
  std::map<std::string, std::string> certificates;
};

// The client's network origin: an address, or a country resolved by the
// emulator's geo table.
struct Origin {
  std::string ip;
  std::string country;
};

struct Given {
  std::vector<CardSetup> cards;
  std::optional<std::string> clock;  // ISO 8601 date-time, e.g. 2026-06-01T10:00:00+09:00
  std::optional<Origin> origin;
  nlohmann::json faults = nlohmann::json::array();  // passed to the control executor as is
  std::optional<std::string> rule_set_date;         // YYYY-MM-DD
  // Where the scenario's relative file names (forms, attachments) resolve:
  // the directory of the suite that holds its file (load_suite sets it);
  // empty for a scenario parsed alone (the executor's suite directory).
  std::filesystem::path base_dir;
};

// One run of a scenario: the variable values it was expanded with.
struct Variant {
  std::string name;  // "user_category=本人,lang=en"; empty without a matrix
  std::map<std::string, std::string> values;
  Given given;
  std::vector<Step> steps;
};

struct Scenario {
  std::string id;
  std::string title;
  std::string file;  // file name it came from
  std::vector<RuleRef> rules;
  std::vector<std::string> tags;
  std::vector<std::string> requires_features;
  std::vector<Variant> variants;  // at least one
};

// Parses one scenario document and expands its variants. Pure: no I/O.
// Throws ScenarioError (and nothing else) for any malformed input.
Scenario parse_scenario(std::string_view yaml, std::string_view file_name);

// True for "ABC-DEF-001" style ids: 2-4 upper-case/digit segments, the last 3 digits.
bool is_valid_scenario_id(std::string_view id);

}  // namespace zairyu::conformance
