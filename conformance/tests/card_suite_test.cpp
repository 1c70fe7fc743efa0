// The shipped card suite against the virtual card in process: every run
// PASSES, a deliberately broken scenario FAILS on the named check, and the
// same seed gives the same card answers.
#define BOOST_TEST_MODULE conformance_card_suite_tests
#include <boost/test/unit_test.hpp>

#include "conformance/card/direct_card_executor.h"
#include "conformance/runner/scenario_runner.h"
#include "conformance/runner/suite_runner.h"

using namespace zairyu::conformance;

namespace {

ExecutorFactory card_factory() {
  return [](std::size_t) {
    ExecutorSet set;
    set[ActionKind::kCard] =
        std::make_unique<DirectCardExecutor>(ZAIRYU_TEST_PERSONAS_DIR, ZAIRYU_TEST_PKI_DIR);
    return set;
  };
}

}  // namespace

BOOST_AUTO_TEST_CASE(card_suite_passes) {
  const Suite suite = load_suite(ZAIRYU_CARD_SUITE_DIR);
  RunOptions options;
  options.workers = 2;
  const SuiteRun run = run_suite(suite, options, card_factory(), nullptr);
  BOOST_TEST(run.results.size() >= 10u);
  for (const ScenarioResult& r : run.results) {
    BOOST_TEST_CONTEXT(r.display_name()) {
      BOOST_TEST(to_string(r.result) == "PASSED");
      if (const CheckResult* c = r.first_unexpected_failure())
        BOOST_TEST_MESSAGE(c->id + ": " + c->message);
      for (const StepResult& step : r.steps) {
        if (!step.outcome.ok())
          BOOST_TEST_MESSAGE(step.outcome.error + ": " + step.outcome.message);
      }
    }
  }
  BOOST_TEST(run.summary().unexpected == 0u);
}

BOOST_AUTO_TEST_CASE(broken_scenario_fails_on_the_named_check) {
  const Suite suite = load_suite(ZAIRYU_BROKEN_SUITE_DIR);
  const SuiteRun run = run_suite(suite, RunOptions{}, card_factory(), nullptr);
  const ScenarioResult* broken = nullptr;
  for (const ScenarioResult& r : run.results) {
    if (r.scenario_id == "BROKEN-PIN-002") broken = &r;
  }
  BOOST_TEST_REQUIRE(broken != nullptr);
  BOOST_TEST(to_string(broken->result) == "FAILED");
  const CheckResult* failed = broken->first_unexpected_failure();
  BOOST_TEST_REQUIRE(failed != nullptr);
  BOOST_TEST(failed->id == "no-verify-after-last-try");
  BOOST_TEST(failed->rule == "CARD-PIN-002");
  BOOST_TEST(
      failed->message.find("sent after the card answered 63C1: 00 20 00 80 04 2A 2A 2A 2A") !=
      std::string::npos);

  // With the gap declared, the same run is an expected failure.
  RunOptions known;
  known.expected_failures = {{"BROKEN-PIN-002", "*", "no-verify-*", "demonstrates the check"}};
  BOOST_TEST(run_suite(suite, known, card_factory(), nullptr).summary().unexpected == 0u);
}

BOOST_AUTO_TEST_CASE(card_action_without_a_card_is_a_scenario_error) {
  const Scenario s = parse_scenario(
      "id: X-001\ntitle: t\nrules: [{id: X-001, source: s}]\nsteps:\n  - card: read_token\n",
      "x.yaml");
  ExecutorSet set = card_factory()(0);
  const ScenarioResult r = run_scenario(s, s.variants[0], set, {}, 1);
  BOOST_TEST(to_string(r.result) == "FAILED");
  BOOST_TEST(r.steps.at(0).outcome.error == "BAD_ARGS");
  BOOST_TEST(r.steps[0].checks.at(0).id == "s1.completed");
}

BOOST_AUTO_TEST_CASE(same_seed_same_card_answers) {
  const Suite suite = load_suite(ZAIRYU_CARD_SUITE_DIR);
  RunOptions options;
  options.filters = {"CARD-CHAL-001"};
  auto responses = [&](std::uint64_t seed) {
    options.seed = seed;
    std::vector<std::string> out;
    for (const ScenarioResult& r : run_suite(suite, options, card_factory(), nullptr).results) {
      for (const TraceEvent& e : r.trace) out.push_back(e.data.value("response", std::string()));
    }
    return out;
  };
  const auto first = responses(1);
  BOOST_TEST(first.size() == 3u);
  BOOST_TEST(first == responses(1));
  BOOST_TEST(first != responses(2));
}
