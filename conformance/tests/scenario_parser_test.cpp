// The scenario parser: every shipped scenario parses, malformed ones are
// rejected with the field path, variants expand with typed substitution, and
// expected-failure lists and suite manifests load.
#define BOOST_TEST_MODULE conformance_scenario_tests
#include <boost/test/unit_test.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "conformance/scenario/expected_failures.h"
#include "conformance/scenario/scenario.h"
#include "conformance/scenario/suite.h"

using namespace zairyu::conformance;
namespace fs = std::filesystem;

namespace {

const std::string kMinimal = R"(id: CARD-PIN-001
title: t
rules:
  - {id: CARD-PIN-001, source: "my-number-card.md §4"}
given:
  personas:
    - {persona: adult-valid}
steps:
  - card: pin_status
    args: {pin: auth}
    expect:
      - value: {path: tries_left, equals: 3}
)";

// Replaces the first occurrence of `from` in the minimal scenario.
std::string minimal_with(const std::string& from, const std::string& to) {
  std::string text = kMinimal;
  const auto at = text.find(from);
  BOOST_TEST_REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_shipped_scenario_parses) {
  std::size_t count = 0;
  for (const auto& entry : fs::directory_iterator(ZAIRYU_CARD_SUITE_DIR)) {
    if (entry.path().filename() == "suite.yaml") continue;
    BOOST_TEST_CONTEXT(entry.path().filename().string()) {
      BOOST_CHECK_NO_THROW(
          parse_scenario(read_text_file(entry.path()), entry.path().filename().string()));
      ++count;
    }
  }
  BOOST_TEST(count >= 10u);
  const Suite suite = load_suite(ZAIRYU_CARD_SUITE_DIR);
  BOOST_TEST(suite.name == "card");
  BOOST_TEST(suite.scenarios.size() == count);
  BOOST_TEST(suite.scenarios.front().id == "CARD-SEL-001");  // manifest order, not file order
}

BOOST_AUTO_TEST_CASE(minimal_scenario_model) {
  const Scenario s = parse_scenario(kMinimal, "x.yaml");
  BOOST_TEST(s.id == "CARD-PIN-001");
  BOOST_TEST_REQUIRE(s.variants.size() == 1u);
  const Variant& v = s.variants[0];
  BOOST_TEST(v.name.empty());
  BOOST_TEST_REQUIRE(v.given.cards.size() == 1u);
  BOOST_TEST(v.given.cards[0].persona == "adult-valid");
  BOOST_TEST_REQUIRE(v.steps.size() == 1u);
  BOOST_TEST((v.steps[0].action.kind == ActionKind::kCard));
  BOOST_TEST(v.steps[0].action.args["pin"] == "auth");
  const Check& check = v.steps[0].expect.at(0);
  BOOST_TEST(check.id == "s1.1");
  BOOST_TEST(check.rule == "CARD-PIN-001");  // defaults to the first rule
  BOOST_TEST(check.params["equals"] == 3);   // a number, not "3"
}

BOOST_AUTO_TEST_CASE(rejections_name_the_field) {
  struct Case {
    std::string from, to, path;
  };
  const Case cases[] = {
      {"id: CARD-PIN-001\n", "id: card-pin-1\n", "id"},
      {"title: t\n", "", "title"},
      {"  - {id: CARD-PIN-001, source: \"my-number-card.md §4\"}\n", "  - {id: CARD-PIN-001}\n",
       "rules[0].source"},
      {"    - {persona: adult-valid}\n", "    - {persona: adult-valid, slot: 99}\n",
       "given.personas[0].slot"},
      {"  - card: pin_status\n", "  - cards: pin_status\n", "steps[0].cards"},
      {"  - card: pin_status\n", "  - card: pin_status\n    client: login\n", "steps[0]"},
      {"args: {pin: auth}", "args: [pin]", "steps[0].args"},
      {"      - value: {path: tries_left, equals: 3}\n", "      - apdus: {ins: \"2\", count: 1}\n",
       "steps[0].expect[0].apdus.ins"},
      {"      - value: {path: tries_left, equals: 3}\n", "      - apdus: {ins: \"20\"}\n",
       "steps[0].expect[0].apdus"},
      {"      - value: {path: tries_left, equals: 3}\n",
       "      - value: {path: tries_left, equals: 3}\n        rule: CARD-PIN-999\n",
       "steps[0].expect[0].rule"},
      {"      - value: {path: tries_left, equals: 3}\n",
       "      - value: {path: tries_left, equals: 3}\n        error: X\n", "steps[0].expect[0]"},
      {"      - value: {path: tries_left, equals: 3}\n",
       "      - apdus: {none_after: {sw: \"63X1\"}}\n", "steps[0].expect[0].apdus.none_after.sw"},
      {"args: {pin: auth}", "args: {pin: \"${nope}\"}", "steps[0].args.pin"},
      {"given:\n", "colour: blue\ngiven:\n", "colour"},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT(c.path) {
      try {
        (void)parse_scenario(minimal_with(c.from, c.to), "bad.yaml");
        BOOST_ERROR("accepted");
      } catch (const ScenarioError& e) {
        BOOST_TEST(e.field_path() == c.path);
        BOOST_TEST(e.file() == "bad.yaml");
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(garbage_throws_only_scenario_error) {
  for (const std::string text :
       {"", "[", "{a: [1, 2", "- 1\n- 2\n", "id: [x]", "\t\x01\xff",
        "steps: {a: b}\nid: A-001\ntitle: t\nrules: [{id: A-001, source: s}]"}) {
    BOOST_CHECK_THROW((void)parse_scenario(text, "g.yaml"), ScenarioError);
  }
}

// What the libFuzzer target relies on, cheaply: random byte edits of the
// shipped scenarios either parse or throw ScenarioError, nothing else.
BOOST_AUTO_TEST_CASE(mutated_scenarios_throw_only_scenario_error) {
  std::mt19937 random(1);
  std::size_t rejected = 0;
  for (const auto& entry : fs::directory_iterator(ZAIRYU_CARD_SUITE_DIR)) {
    const std::string original = read_text_file(entry.path());
    for (int i = 0; i < 300; ++i) {
      std::string text = original;
      for (int edits = 1 + static_cast<int>(random() % 4); edits > 0; --edits) {
        const std::size_t at = random() % text.size();
        const char byte = "{}[]:-,\"'$ \n#&*!|>%@`x9"[random() % 24];
        switch (random() % 3) {
          case 0:
            text[at] = byte;
            break;
          case 1:
            text.insert(at, 1, byte);
            break;
          default:
            text.erase(at, 1);
        }
      }
      try {
        (void)parse_scenario(text, "m.yaml");
      } catch (const ScenarioError&) {
        ++rejected;
      } catch (const std::exception& e) {
        BOOST_ERROR("not a ScenarioError: " << e.what());
      }
    }
  }
  BOOST_TEST(rejected > 0u);
}

BOOST_AUTO_TEST_CASE(variants_expand_as_a_matrix_with_typed_substitution) {
  const std::string text = R"(id: RAS-APPLY-001
title: matrix
rules: [{id: RAS-APPLY-001, source: "online-system.md §3"}]
variants:
  user_category: [本人, 法定代理人]
  n: [1, 2, 3]
given:
  personas: [{persona: "adult-${n}"}]
steps:
  - client: apply
    args:
      category: ${user_category}
      count: ${n}
      label: "n=${n}"
)";
  const Scenario s = parse_scenario(text, "m.yaml");
  BOOST_TEST_REQUIRE(s.variants.size() == 6u);
  BOOST_TEST(s.variants[0].name == "n=1,user_category=本人");
  const Variant& last = s.variants[5];
  BOOST_TEST(last.values.at("user_category") == "法定代理人");
  BOOST_TEST(last.given.cards[0].persona == "adult-3");
  BOOST_TEST(last.steps[0].action.args["count"] == 3);      // plain: typed
  BOOST_TEST(last.steps[0].action.args["label"] == "n=3");  // quoted: a string
  BOOST_TEST(last.steps[0].action.args["category"] == "法定代理人");
}

BOOST_AUTO_TEST_CASE(given_fields) {
  const std::string text = R"(id: RAS-ACCESS-001
title: foreign origin
rules: [{id: RAS-ACCESS-001, source: "online-system.md §4", seed: "000_291c8fed69e0e784.txt"}]
given:
  personas:
    - persona: adult-valid
      slot: 1
      tries_left: {auth: 2}
      certificates: {auth: expired}
  clock: 2026-06-01T10:00:00+09:00
  origin: {country: US}
  faults: [{rpc: Login, nth: 1, status: UNAVAILABLE}]
  rule_set_date: 2026-04-01
steps:
  - client: login
    expect:
      - error: ACCESS_FROM_OUTSIDE_JAPAN
      - audit: {event: LOGIN_REFUSED, reason: ACCESS_FROM_OUTSIDE_JAPAN, count: 1}
      - outbox: {subject_contains: ログイン, count: 0}
        severity: warning
)";
  const Scenario s = parse_scenario(text, "g.yaml");
  const Given& g = s.variants[0].given;
  BOOST_TEST(s.rules[0].seed == "000_291c8fed69e0e784.txt");
  BOOST_TEST(g.cards[0].slot == 1);
  BOOST_TEST(*g.cards[0].tries_left.auth == 2);
  BOOST_TEST(g.cards[0].certificates.at("auth") == "expired");
  BOOST_TEST(*g.clock == "2026-06-01T10:00:00+09:00");
  BOOST_TEST(g.origin->country == "US");
  BOOST_TEST(g.faults[0]["nth"] == 1);
  BOOST_TEST(*g.rule_set_date == "2026-04-01");
  BOOST_TEST((s.variants[0].steps[0].expect[2].severity == Severity::kWarning));
}

// The default suite is the card suite and the online suite: every scenario
// of both, named after its member, its files resolved in its member's
// directory.
BOOST_AUTO_TEST_CASE(default_suite_holds_its_member_suites) {
  const fs::path suites = fs::path(ZAIRYU_CARD_SUITE_DIR).parent_path();
  const Suite card = load_suite(suites / "card");
  const Suite online = load_suite(suites / "online");
  const Suite all = load_suite(suites / "default");
  BOOST_TEST(all.name == "default");
  BOOST_TEST_REQUIRE(all.scenarios.size() == card.scenarios.size() + online.scenarios.size());
  const Scenario& first = all.scenarios.front();
  BOOST_TEST(first.id == card.scenarios.front().id);
  BOOST_TEST(first.file == "card/" + card.scenarios.front().file);
  BOOST_TEST(first.variants.front().given.base_dir == suites / "default" / ".." / "card");
  const Scenario& last = all.scenarios.back();
  BOOST_TEST(last.file == "online/" + online.scenarios.back().file);
  BOOST_TEST(last.variants.front().given.base_dir == suites / "default" / ".." / "online");
  BOOST_TEST(online.scenarios.back().variants.front().given.base_dir == suites / "online");
}

// A member that is not a directory, a suite holding itself, and an id in two
// members are refused by name.
BOOST_AUTO_TEST_CASE(member_suites_are_checked) {
  const fs::path dir = fs::temp_directory_path() / ("zairyu-suites-" + std::to_string(::getpid()));
  fs::create_directories(dir / "top");
  fs::create_directories(dir / "a");
  fs::create_directories(dir / "b");
  const std::string scenario = read_text_file(fs::path(ZAIRYU_CARD_SUITE_DIR) / "select-jpki.yaml");
  for (const char* member : {"a", "b"}) {
    std::ofstream(dir / member / "s.yaml") << scenario;
  }
  std::ofstream(dir / "top" / "suite.yaml") << "suites: [../a, ../missing]\n";
  try {
    (void)load_suite(dir / "top");
    BOOST_ERROR("accepted a missing member");
  } catch (const ScenarioError& e) {
    BOOST_TEST(e.field_path() == "suites[1]");
  }
  std::ofstream(dir / "top" / "suite.yaml") << "suites: [../a, .]\n";
  try {
    (void)load_suite(dir / "top");
    BOOST_ERROR("accepted a suite that holds itself");
  } catch (const ScenarioError& e) {
    BOOST_TEST(e.field_path() == "suites[1]");
  }
  std::ofstream(dir / "top" / "suite.yaml") << "suites: [../a, ../b]\n";
  try {
    (void)load_suite(dir / "top");
    BOOST_ERROR("accepted one id in two members");
  } catch (const ScenarioError& e) {
    BOOST_TEST(e.file() == "b/s.yaml");
    BOOST_TEST(e.field_path() == "id");
  }
  fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(expected_failures_file) {
  const auto entries = parse_expected_failures(R"(
- scenario: CARD-PIN-002
  variant: "pin=sign"
  check: "s1.*"
  comment: vendor X spends the last try (ticket 12)
- scenario: CARD-SEL-001
  comment: whole scenario
)",
                                               "xf.yaml");
  BOOST_TEST_REQUIRE(entries.size() == 2u);
  BOOST_TEST(entries[0].variant == "pin=sign");
  BOOST_TEST(entries[1].check == "*");
  try {
    (void)parse_expected_failures("- scenario: A-001\n", "xf.yaml");
    BOOST_ERROR("accepted an entry without comment");
  } catch (const ScenarioError& e) {
    BOOST_TEST(e.field_path() == "[0].comment");
  }
  BOOST_TEST(glob_match("CARD-*", "CARD-PIN-001"));
  BOOST_TEST(!glob_match("CARD-?", "CARD-PIN"));
}

BOOST_AUTO_TEST_CASE(scenario_ids) {
  BOOST_TEST(is_valid_scenario_id("RAS-ACCESS-001"));
  BOOST_TEST(is_valid_scenario_id("CARD-PIN-003"));
  BOOST_TEST(!is_valid_scenario_id("CARD-PIN-3"));
  BOOST_TEST(!is_valid_scenario_id("card-pin-003"));
  BOOST_TEST(!is_valid_scenario_id("001"));
  BOOST_TEST(!is_valid_scenario_id("A--001"));
}
