// A scripted Executor for runner and report tests: the action name decides
// the outcome ("ok", "fail" -> error NOPE, "throw"), and every action leaves
// one APDU and one RPC in the trace.
#pragma once

#include <set>
#include <stdexcept>
#include <string>

#include "conformance/runner/executor.h"

namespace zairyu::conformance::testing {

class FakeExecutor final : public Executor {
 public:
  bool supports(std::string_view action) const override {
    return action == "ok" || action == "fail" || action == "throw";
  }
  std::vector<std::string> features() const override { return {"fake"}; }
  void prepare(const Given&, RunContext& context) override { context.add_note("prepared"); }
  StepOutcome execute(const Action& action, RunContext& context) override {
    context.add_apdu({0x00, 0x20, 0x00, 0x80, 0x04, 0x2A, 0x2A, 0x2A, 0x2A}, {0x63, 0xC2}, true);
    context.add_rpc("Fake/" + action.name, "OK", {{"seed", context.seed()}},
                    nlohmann::json::object());
    if (action.name == "throw") throw std::runtime_error("fake harness failure");
    if (action.name == "fail") return StepOutcome{"NOPE", "refused", nlohmann::json::object()};
    return StepOutcome{"", "", {{"n", 1}, {"text", "<b>&'\"</b>"}}};
  }
  void finish(RunContext&) override {}
};

// A factory giving each worker one FakeExecutor for `kind`.
inline ExecutorFactory fake_factory(ActionKind kind = ActionKind::kCard) {
  return [kind](std::size_t) {
    ExecutorSet set;
    set[kind] = std::make_unique<FakeExecutor>();
    return set;
  };
}

// A one-scenario YAML document with the given steps block.
inline std::string fake_scenario(const std::string& id, const std::string& steps,
                                 const std::string& extra = "") {
  return "id: " + id + "\ntitle: fake " + id + "\nrules: [{id: FAKE-RULE-001, source: test}]\n" +
         extra + "steps:\n" + steps;
}

}  // namespace zairyu::conformance::testing
