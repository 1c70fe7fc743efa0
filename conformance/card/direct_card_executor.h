// DirectCardExecutor: the `card` action kind over virtual My Number Cards
// linked into the process ("direct" transport), driven through the client
// library (JpkiCard, InputHelperCard) so the trace shows exactly the APDUs our
// client sends. The pcsc transport will run the same actions over a reader.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "conformance/runner/executor.h"

namespace zairyu::conformance {

struct CardSlot;
struct LoadedPersona;

// Actions (args in brackets; `slot` defaults to the first card of `given`):
//   select [app: jpki|input_helper]        read_token        read_cert_flags
//   read_cert [cert: auth|auth_ca|sign|sign_ca]
//   pin_status [pin: auth|sign|input_helper]
//   verify_pin [pin, value (default: the persona's PIN), force_last_try]
//   sign [key: auth|sign, message]         get_challenge [length]
//   transmit [apdu: "00 84 00 00 08"]      read_my_number    read_basic_four
//   reset   remove   insert
// Card refusals become errors "SW_6982"; a pulled card "CARD_REMOVED".
// Only `given.personas` applies here; clock, origin, faults and certificate
// state overrides are the emulator's and are ignored (noted in the trace).
class DirectCardExecutor final : public Executor {
 public:
  DirectCardExecutor(std::filesystem::path personas_dir, std::filesystem::path pki_dir);
  ~DirectCardExecutor() override;

  bool supports(std::string_view action) const override;
  std::vector<std::string> features() const override;
  void prepare(const Given& given, RunContext& context) override;
  StepOutcome execute(const Action& action, RunContext& context) override;
  void finish(RunContext& context) override;

 private:
  const LoadedPersona& persona(const std::string& id);

  std::filesystem::path personas_dir_;
  std::filesystem::path pki_dir_;
  std::map<std::string, std::unique_ptr<LoadedPersona>> personas_;  // cache: PEM parsing is slow
  std::map<int, std::unique_ptr<CardSlot>> slots_;
  int default_slot_ = 0;
};

}  // namespace zairyu::conformance
