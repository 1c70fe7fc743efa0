// The runner core with a scripted executor: five-valued results, skips,
// step errors, expected failures (incl. unexpected passes), filter and shard
// partitions, seeds, worker-count independence and the dispatch order.
#define BOOST_TEST_MODULE conformance_runner_tests
#include <boost/test/unit_test.hpp>

#include <set>

#include "conformance/runner/expected_failure_matching.h"
#include "conformance/runner/scenario_runner.h"
#include "conformance/runner/schedule.h"
#include "conformance/runner/selection.h"
#include "conformance/runner/suite_runner.h"
#include "fake_executor.h"

using namespace zairyu::conformance;
using testing::fake_factory;
using testing::fake_scenario;

namespace {

ScenarioResult run_one(const std::string& yaml, std::set<std::string> features = {"fake"}) {
  const Scenario s = parse_scenario(yaml, "t.yaml");
  ExecutorSet set = fake_factory()(0);
  return run_scenario(s, s.variants.at(0), set, features, 7);
}

// A suite of `n` scenarios FAKE-S-001.. with two variants each.
Suite fake_suite(std::size_t n) {
  Suite suite;
  suite.name = "fake";
  for (std::size_t i = 1; i <= n; ++i) {
    char id[32];
    std::snprintf(id, sizeof id, "FAKE-S-%03zu", i);
    suite.scenarios.push_back(parse_scenario(
        fake_scenario(
            id, "  - card: ok\n",
            std::string("tags: [") + (i % 2 ? "odd" : "even") + "]\nvariants: {v: [a, b]}\n"),
        "f.yaml"));
  }
  return suite;
}

}  // namespace

BOOST_AUTO_TEST_CASE(five_values) {
  BOOST_TEST(to_string(run_one(fake_scenario("A-001", "  - card: ok\n    expect: [{result: ok}]\n"))
                           .result) == "PASSED");
  BOOST_TEST(to_string(run_one(fake_scenario("A-001", "  - card: ok\n    expect: [{error: X}]\n"))
                           .result) == "FAILED");
  BOOST_TEST(
      to_string(run_one(fake_scenario(
                            "A-001", "  - card: ok\n    expect: [{error: X, severity: warning}]\n"))
                    .result) == "WARNING");
  BOOST_TEST(
      to_string(run_one(fake_scenario("A-001",
                                      "  - card: ok\n    expect: [{error: X, severity: review}]\n"))
                    .result) == "REVIEW");
  const ScenarioResult skipped =
      run_one(fake_scenario("A-001", "  - card: ok\n", "requires: [online]\n"));
  BOOST_TEST(to_string(skipped.result) == "SKIPPED");
  BOOST_TEST(skipped.skip_reason == "client does not claim feature online");
  const ScenarioResult no_executor =
      run_one(fake_scenario("A-001", "  - control: clock.advance\n"));
  BOOST_TEST(to_string(no_executor.result) == "SKIPPED");
  BOOST_TEST(no_executor.skip_reason == "no executor for control action clock.advance");
}

BOOST_AUTO_TEST_CASE(checks_and_step_errors) {
  const ScenarioResult r =
      run_one(fake_scenario("A-001",
                            "  - card: ok\n"
                            "    expect:\n"
                            "      - value: {path: n, equals: 1}\n"
                            "      - apdus: {ins: \"20\", with_data: true, count: 1}\n"
                            "      - apdus: {ins: \"20\", none_after: {sw: \"63C2\"}}\n"
                            "        id: after\n"
                            "  - card: fail\n"
                            "    expect: [{error: NOPE}]\n"
                            "  - card: throw\n"
                            "  - card: ok\n"));
  BOOST_TEST_REQUIRE(r.steps.size() == 3u);  // the harness error stops the run
  BOOST_TEST(r.steps[0].checks[0].passed);
  BOOST_TEST(r.steps[0].checks[1].passed);
  BOOST_TEST(r.steps[0].checks[2].passed);  // nothing after the first 63C2 within this step
  BOOST_TEST(r.steps[1].checks[0].passed);
  BOOST_TEST(r.steps[2].outcome.error == "HARNESS_ERROR");
  BOOST_TEST(r.steps[2].checks[0].id == "s3.completed");
  BOOST_TEST(!r.steps[2].checks[0].passed);
  BOOST_TEST(to_string(r.result) == "FAILED");
  BOOST_TEST(r.trace.size() == 7u);  // note + (APDU + RPC) x 3
}

BOOST_AUTO_TEST_CASE(none_after_catches_a_later_apdu) {
  const ScenarioResult r = run_one(fake_scenario("A-001",
                                                 "  - card: ok\n  - card: ok\n    expect: [{apdus: "
                                                 "{ins: \"20\", none_after: {sw: \"63C2\"}}}]\n"));
  BOOST_TEST(!r.steps[1].checks[0].passed);
  BOOST_TEST(r.steps[1].checks[0].message.find("after the card answered 63C2") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(outbox_and_audit_need_a_snapshot) {
  const ScenarioResult r =
      run_one(fake_scenario("A-001", "  - card: ok\n    expect: [{outbox: {count: 1}}]\n"));
  BOOST_TEST(r.steps[0].checks[0].message == "no outbox snapshot (needs the control executor)");
}

// Counts observe() calls and publishes the count as the outbox snapshot.
class CountingObserver final : public Executor {
 public:
  explicit CountingObserver(int& observed) : observed_(observed) {}
  bool supports(std::string_view action) const override { return action == "ok"; }
  std::vector<std::string> features() const override { return {"fake"}; }
  void prepare(const Given&, RunContext&) override {}
  StepOutcome execute(const Action&, RunContext&) override { return {}; }
  void observe(RunContext& context) override {
    ++observed_;
    context.set_snapshot("outbox", nlohmann::json::array({{{"step", context.step()}}}));
  }
  void finish(RunContext&) override {}

 private:
  int& observed_;
};

BOOST_AUTO_TEST_CASE(snapshots_are_observed_when_read) {
  int observed = 0;
  ExecutorSet set;
  set[ActionKind::kControl] = std::make_unique<CountingObserver>(observed);
  const auto run = [&set](const std::string& steps) {
    const Scenario s = parse_scenario(fake_scenario("A-001", steps), "t.yaml");
    return run_scenario(s, s.variants.at(0), set, {"fake"}, 7);
  };
  // Nobody reads between the steps: one observation, after the last step.
  const ScenarioResult quiet = run("  - control: ok\n  - control: ok\n  - control: ok\n");
  BOOST_TEST(observed == 1);
  BOOST_TEST(quiet.snapshots["outbox"][0]["step"] == 3);
  // An outbox check after step 1 sees step 1's state.
  observed = 0;
  const ScenarioResult checked =
      run("  - control: ok\n    expect: [{outbox: {count: 1}}]\n  - control: ok\n");
  BOOST_TEST(observed == 2);
  BOOST_TEST(checked.steps[0].checks[0].passed);
  BOOST_TEST(checked.snapshots["outbox"][0]["step"] == 2);
}

BOOST_AUTO_TEST_CASE(expected_failures_and_unexpected_passes) {
  std::vector<ScenarioResult> results{
      run_one(fake_scenario("A-001", "  - card: ok\n    expect: [{error: X}]\n")),    // fails s1.1
      run_one(fake_scenario("B-001", "  - card: ok\n    expect: [{result: ok}]\n")),  // passes
      run_one(fake_scenario("C-001",
                            "  - card: ok\n    expect: [{error: X}, {error: Y}]\n")),  // s1.1, s1.2
  };
  apply_expected_failures(results, {{"A-001", "*", "s1.1", "known"},
                                    {"B-001", "*", "*", "was broken"},
                                    {"C-001", "*", "s1.1", "half known"}});
  BOOST_TEST(results[0].expected_failure);
  BOOST_TEST(!results[0].is_unexpected());
  BOOST_TEST(results[1].unexpected_passes.size() == 1u);
  BOOST_TEST(results[1].is_unexpected());
  BOOST_TEST(!results[2].expected_failure);  // s1.2 is not covered
  BOOST_TEST(results[2].first_unexpected_failure()->id == "s1.2");
}

BOOST_AUTO_TEST_CASE(filters) {
  const Suite suite = fake_suite(6);
  BOOST_TEST(select_runs(suite, {}, {}, ShardMode::kHash).size() == 12u);
  BOOST_TEST(select_runs(suite, {"FAKE-S-00[12]"}, {}, ShardMode::kHash).size() == 4u);
  BOOST_TEST(select_runs(suite, {"tag:odd"}, {}, ShardMode::kHash).size() == 6u);
  BOOST_TEST(select_runs(suite, {"tag:odd", "FAKE-S-002"}, {}, ShardMode::kHash).size() == 8u);
  BOOST_TEST(select_runs(suite, {"NOPE-*"}, {}, ShardMode::kHash).empty());
}

BOOST_AUTO_TEST_CASE(shards_partition_the_suite) {
  const Suite suite = fake_suite(40);
  for (ShardMode mode : {ShardMode::kHash, ShardMode::kIndex}) {
    for (std::size_t n : {1u, 2u, 3u, 7u}) {
      std::set<std::pair<std::size_t, std::size_t>> seen;
      std::size_t total = 0;
      for (std::size_t i = 1; i <= n; ++i) {
        for (const RunItem& item : select_runs(suite, {}, {i, n}, mode)) {
          seen.insert({item.scenario, item.variant});
          ++total;
        }
      }
      BOOST_TEST(total == 80u);        // disjoint ...
      BOOST_TEST(seen.size() == 80u);  // ... and complete
    }
  }
  // Variants of one scenario stay together on one shard.
  for (const RunItem& item : select_runs(suite, {}, {2, 3}, ShardMode::kHash)) {
    BOOST_TEST(
        select_runs(suite, {suite.scenarios[item.scenario].id}, {2, 3}, ShardMode::kHash).size() ==
        2u);
  }
  BOOST_TEST(!parse_shard("0/2"));
  BOOST_TEST(!parse_shard("3/2"));
  BOOST_TEST(!parse_shard("1/"));
  BOOST_TEST(parse_shard("2/2")->index == 2u);
}

BOOST_AUTO_TEST_CASE(seeds_are_stable_and_distinct) {
  BOOST_TEST(run_seed(1, "A-001", "") == run_seed(1, "A-001", ""));
  BOOST_TEST(run_seed(1, "A-001", "") != run_seed(2, "A-001", ""));
  BOOST_TEST(run_seed(1, "A-001", "v=a") != run_seed(1, "A-001", "v=b"));
  BOOST_TEST(fnv1a64("a") == 0xaf63dc4c8601ec8cULL);  // the published FNV-1a test vector
}

BOOST_AUTO_TEST_CASE(results_do_not_depend_on_worker_count) {
  const Suite suite = fake_suite(20);
  RunOptions one;
  RunOptions four;
  four.workers = 4;
  const SuiteRun a = run_suite(suite, one, fake_factory(), nullptr);
  const SuiteRun b = run_suite(suite, four, fake_factory(), nullptr);
  BOOST_TEST_REQUIRE(a.results.size() == 40u);
  BOOST_TEST_REQUIRE(b.results.size() == 40u);
  for (std::size_t i = 0; i < a.results.size(); ++i) {
    BOOST_TEST(a.results[i].display_name() == b.results[i].display_name());
    BOOST_TEST(a.results[i].seed == b.results[i].seed);
  }
  BOOST_TEST(a.summary().passed == 40u);
  BOOST_TEST(a.features == std::vector<std::string>{"fake"});
  std::set<std::size_t> workers;
  for (const ScenarioResult& r : b.results) {
    workers.insert(r.worker);
    BOOST_TEST(r.started_us >= 0);
    BOOST_TEST(r.started_us <= b.duration_us);
  }
  BOOST_TEST(*workers.rbegin() < 4u);
  for (const ScenarioResult& r : a.results) BOOST_TEST(r.worker == 0u);
}

BOOST_AUTO_TEST_CASE(costliest_runs_are_dispatched_first) {
  Suite suite;
  const auto add = [&suite](const std::string& id, const std::string& steps,
                            const std::string& extra = "") {
    suite.scenarios.push_back(parse_scenario(fake_scenario(id, steps, extra), "f.yaml"));
  };
  add("ORD-PLAIN-001", "  - card: ok\n");
  add("ORD-REMOVE-001", "  - card: remove\n  - card: insert\n");
  add("ORD-PLAIN-002", "  - card: ok\n");
  add("ORD-FAULT-001", "  - card: ok\n",
      "given:\n  faults: [{rpc: Login, nth: 1, action: latency, latency_ms: 300}]\n");
  add("ORD-FAULT-002", "  - card: ok\n",
      "given:\n  faults: [{rpc: Login, nth: 1, status: UNAVAILABLE}]\n");
  add("ORD-CONTROL-001", "  - control: card.remove\n");

  BOOST_TEST(expected_cost_ms(suite.scenarios[0].variants[0]) == 5);
  BOOST_TEST(expected_cost_ms(suite.scenarios[1].variants[0]) == 810);
  BOOST_TEST(expected_cost_ms(suite.scenarios[3].variants[0]) == 305);
  BOOST_TEST(expected_cost_ms(suite.scenarios[4].variants[0]) == 205);
  const std::vector<RunItem> items = planned_runs(suite, RunOptions{});
  // Equal costs (the two plain runs) keep suite order.
  BOOST_TEST(dispatch_order(suite, items) == (std::vector<std::size_t>{1, 5, 3, 4, 0, 2}),
             boost::test_tools::per_element());
  BOOST_TEST(expected_wait_ms(suite.scenarios[0].variants[0]) == 0);
  BOOST_TEST(expected_wait_ms(suite.scenarios[1].variants[0]) == 800);
}

// While a waiting run is out, the others get computing runs; waiting runs go
// side by side only when nothing else is left.
BOOST_AUTO_TEST_CASE(waiting_runs_overlap_computing_ones) {
  Suite suite;
  const auto add = [&suite](const std::string& id, const std::string& steps) {
    suite.scenarios.push_back(parse_scenario(fake_scenario(id, steps), "f.yaml"));
  };
  add("Q-WAIT-001", "  - card: remove\n  - card: insert\n");
  add("Q-WAIT-002", "  - card: remove\n");
  add("Q-PLAIN-001", "  - card: ok\n");
  add("Q-PLAIN-002", "  - card: ok\n");
  constexpr std::size_t kNone = 99;
  RunQueue queue(suite, planned_runs(suite, RunOptions{}));
  BOOST_TEST(queue.take().value_or(kNone) == 0u);  // the costliest
  BOOST_TEST(queue.take().value_or(kNone) == 2u);  // not the other waiting one
  queue.finished(0);
  BOOST_TEST(queue.take().value_or(kNone) == 1u);  // no waiting run is out now
  BOOST_TEST(queue.take().value_or(kNone) == 3u);
  queue.finished(2);
  queue.finished(1);
  queue.finished(3);
  BOOST_TEST(!queue.take().has_value());

  RunQueue only_waiting(suite, {{0, 0}, {1, 0}});
  BOOST_TEST(only_waiting.take().value_or(kNone) == 0u);
  BOOST_TEST(only_waiting.take().value_or(kNone) == 1u);  // nothing else is left
}
