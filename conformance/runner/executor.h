// Executor: performs one kind of action (client, control or card) for the
// runner. The card executor exists now; the client executor (our engine or a
// vendor adapter) and the control executor (emulator control gRPC) plug in
// through the same interface.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "conformance/runner/run_context.h"
#include "conformance/scenario/scenario.h"

namespace zairyu::conformance {

// What an action produced. `error` is a machine-readable reason
// ("ACCESS_FROM_OUTSIDE_JAPAN", "SW_6982") when the action was refused;
// `value` carries the outputs `value` checks look at.
struct StepOutcome {
  std::string error;    // empty: success
  std::string message;  // human detail for either case
  nlohmann::json value = nlohmann::json::object();
  bool ok() const { return error.empty(); }
};

class Executor {
 public:
  virtual ~Executor() = default;
  // True when this executor knows the action name ("verify_pin").
  virtual bool supports(std::string_view action) const = 0;
  // Features this executor offers when the client under test declares none.
  virtual std::vector<std::string> features() const = 0;
  // Why this executor cannot run `variant` at all (e.g. it would need the
  // emulator's CardControl to set PIN counters), or "": the run is then
  // SKIPPED with that reason. Default: it can run anything it supports().
  virtual std::string skip_reason(const Variant& variant) const {
    (void)variant;
    return {};
  }
  // Puts the scenario's `given` in place (cards, clock, origin, faults);
  // called for every executor of the set before the first step of each run.
  virtual void prepare(const Given& given, RunContext& context) = 0;
  // Runs one action. Refusals are outcomes; an exception means the harness
  // itself failed and fails the scenario with HARNESS_ERROR.
  virtual StepOutcome execute(const Action& action, RunContext& context) = 0;
  // Publishes snapshots that any action may change (the control executor's
  // outbox and audit log). Called on every executor of the set after a step
  // (whatever its kind) once something reads a snapshot (that step's checks,
  // the next step's executor), and after the last step: never between a
  // step and the reads that see its effects (RunContext::snapshot).
  // Default: nothing.
  virtual void observe(RunContext& context) { (void)context; }
  // Releases what prepare() made; called after every run, even a failed one.
  virtual void finish(RunContext& context) = 0;
};

// One worker's executors, at most one per action kind. Workers never share
// an ExecutorSet, so executors need not be thread-safe.
using ExecutorSet = std::map<ActionKind, std::unique_ptr<Executor>>;

// Makes the executor set of worker `worker` (0-based).
using ExecutorFactory = std::function<ExecutorSet(std::size_t worker)>;

}  // namespace zairyu::conformance
