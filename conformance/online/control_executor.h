// ControlExecutor: the `control` action kind over the emulator's control
// plane (zairyu.emulator.v1.EmulatorControl). It puts `given` in place
// (reset, personas, clock, rule-set date, network origin, faults), runs the control actions
// of README.md "Online actions" and, after every step, publishes the
// `outbox` and `audit` snapshots the checks read.
#pragma once

#include <memory>
#include <string>

#include "conformance/runner/executor.h"

namespace zairyu::conformance {

class ControlExecutor final : public Executor {
 public:
  // `address`: host:port of this worker's emulator (the client reaches it
  // from the loopback address, which the origin settings move abroad).
  // `card`: the worker's card executor, which `card.remove` / `card.insert`
  // are passed to; may be null (those actions then fail with BAD_ARGS).
  ControlExecutor(const std::string& address, Executor* card);
  ~ControlExecutor() override;

  bool supports(std::string_view action) const override;
  std::vector<std::string> features() const override;
  void prepare(const Given& given, RunContext& context) override;
  StepOutcome execute(const Action& action, RunContext& context) override;
  void observe(RunContext& context) override;
  void finish(RunContext& context) override;

 private:
  struct Stub;
  std::unique_ptr<Stub> stub_;
  Executor* card_;
};

// "1d2h10m30s" (any of the parts, in that order) as seconds; throws
// std::invalid_argument for anything else or a total of zero.
long long parse_duration_seconds(std::string_view text);

}  // namespace zairyu::conformance
