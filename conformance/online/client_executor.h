// ClientExecutor: the `client` action kind with our client engine in process
// (zairyu::client::OnlineClient) against the worker's emulator. It signs with
// the cards the worker's card executor put in place, so the APDUs of every
// flow land in the trace; PINs come from the persona files unless a step
// gives one. Actions, arguments and outputs: README.md "Online actions".
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "conformance/runner/executor.h"

namespace zairyu::conformance {

class CardExecutor;

class ClientExecutor final : public Executor {
 public:
  // `address`: the worker's emulator; `cards`: the worker's card executor
  // (outlives this one); `suite_dir`: where form files are looked up.
  ClientExecutor(std::string address, CardExecutor& cards, std::filesystem::path suite_dir);
  ~ClientExecutor() override;

  bool supports(std::string_view action) const override;
  std::vector<std::string> features() const override;
  void prepare(const Given& given, RunContext& context) override;
  StepOutcome execute(const Action& action, RunContext& context) override;
  void finish(RunContext& context) override;

  struct State;

 private:
  std::string address_;
  CardExecutor& cards_;
  std::filesystem::path suite_dir_;
  std::unique_ptr<State> state_;
};

}  // namespace zairyu::conformance
