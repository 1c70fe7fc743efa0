#include "conformance/runner/scenario_runner.h"

#include <algorithm>
#include <chrono>
#include <exception>

#include "conformance/runner/checks.h"

namespace zairyu::conformance {
namespace {

// Why the run cannot happen with these features and executors, or "".
std::string skip_reason(const Scenario& scenario, const Variant& variant,
                        const ExecutorSet& executors, const std::set<std::string>& features) {
  for (const std::string& feature : scenario.requires_features) {
    if (!features.count(feature)) return "client does not claim feature " + feature;
  }
  for (const Step& step : variant.steps) {
    const auto it = executors.find(step.action.kind);
    if (it == executors.end() || !it->second->supports(step.action.name)) {
      return "no executor for " + std::string(to_string(step.action.kind)) + " action " +
             step.action.name;
    }
  }
  for (const auto& [kind, executor] : executors) {
    std::string reason = executor->skip_reason(variant);
    if (!reason.empty()) return reason;
  }
  return "";
}

// Executors of the set in the order `given` is put in place: the emulator's
// state first, then cards, then the client.
std::vector<Executor*> in_prepare_order(ExecutorSet& executors) {
  std::vector<Executor*> ordered;
  for (ActionKind kind : {ActionKind::kControl, ActionKind::kCard, ActionKind::kClient}) {
    const auto it = executors.find(kind);
    if (it != executors.end()) ordered.push_back(it->second.get());
  }
  return ordered;
}

Result overall(const std::vector<StepResult>& steps) {
  bool warning = false;
  bool review = false;
  for (const StepResult& step : steps) {
    for (const CheckResult& check : step.checks) {
      if (check.passed) continue;
      if (check.severity == Severity::kFailure) return Result::kFailed;
      (check.severity == Severity::kReview ? review : warning) = true;
    }
  }
  if (review) return Result::kReview;
  return warning ? Result::kWarning : Result::kPassed;
}

StepOutcome execute(Executor& executor, const Action& action, RunContext& context) {
  try {
    return executor.execute(action, context);
  } catch (const std::exception& e) {
    return StepOutcome{"HARNESS_ERROR", e.what(), nlohmann::json::object()};
  }
}

}  // namespace

ScenarioResult run_scenario(const Scenario& scenario, const Variant& variant,
                            ExecutorSet& executors, const std::set<std::string>& features,
                            std::uint64_t seed) {
  ScenarioResult result;
  result.scenario_id = scenario.id;
  result.title = scenario.title;
  result.file = scenario.file;
  result.variant = variant.name;
  result.rules = scenario.rules;
  result.tags = scenario.tags;
  result.seed = seed;
  result.skip_reason = skip_reason(scenario, variant, executors, features);
  if (!result.skip_reason.empty()) {
    result.result = Result::kSkipped;
    return result;
  }

  RunContext context(seed);
  const std::vector<Executor*> ordered = in_prepare_order(executors);
  bool setup_failed = false;
  try {
    for (Executor* executor : ordered) executor->prepare(variant.given, context);
  } catch (const std::exception& e) {
    // A failed `given` shows as a step 0 with one failed check.
    setup_failed = true;
    StepResult setup;
    setup.action.name = "given";
    setup.outcome = StepOutcome{"HARNESS_ERROR", e.what(), nlohmann::json::object()};
    setup.checks.push_back(CheckResult{"given", CheckKind::kResult, scenario.rules.front().id,
                                       Severity::kFailure, false,
                                       std::string("setting up given failed: ") + e.what(), false});
    result.steps.push_back(std::move(setup));
  }

  for (std::size_t i = 0; !setup_failed && i < variant.steps.size(); ++i) {
    const Step& step = variant.steps[i];
    context.set_step(i + 1);
    StepResult out;
    out.number = i + 1;
    out.action = step.action;
    const std::size_t first_apdu = context.apdus().size();
    const std::int64_t started = context.elapsed_us();
    out.outcome = execute(*executors.at(step.action.kind), step.action, context);
    out.duration_us = context.elapsed_us() - started;
    context.refresh_snapshots_on_read([&context, &ordered] {
      for (Executor* executor : ordered) {
        try {
          executor->observe(context);
        } catch (const std::exception& e) {
          context.add_note(std::string("observing after the step failed: ") + e.what());
        }
      }
    });
    const bool error_expected =
        std::any_of(step.expect.begin(), step.expect.end(),
                    [](const Check& c) { return c.kind == CheckKind::kError; });
    const bool stop = !out.outcome.ok() && !error_expected;
    if (stop) {
      out.checks.push_back(CheckResult{
          "s" + std::to_string(i + 1) + ".completed", CheckKind::kResult, scenario.rules.front().id,
          Severity::kFailure, false,
          "step ended with error " + out.outcome.error + ": " + out.outcome.message, false});
    }
    for (const Check& check : step.expect) {
      out.checks.push_back(evaluate_check(check, out.outcome, context, first_apdu));
    }
    result.steps.push_back(std::move(out));
    if (stop) break;
  }
  context.refresh_snapshots();  // the report shows the state after the last step
  for (Executor* executor : ordered) {
    try {
      executor->finish(context);
    } catch (const std::exception& e) {
      context.add_note(std::string("finish failed: ") + e.what());
    }
  }
  result.result = overall(result.steps);
  result.trace = context.trace();
  for (const auto& [name, value] : context.snapshots()) result.snapshots[name] = value;
  result.duration_us = context.elapsed_us();
  return result;
}

}  // namespace zairyu::conformance
