// CardExecutor: the `card` action kind, whatever carries the APDUs. It loads
// the personas of `given`, asks its transport mode for one CardBackend per
// card, stacks the client library on it (so the trace shows exactly the APDUs
// our client sends, PINs masked) and runs the actions of card_actions.h.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "conformance/runner/executor.h"

namespace zairyu::conformance {

class CardBackend;
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
// Only `given.personas` applies here; clock, origin and faults are the
// emulator's control executor's (noted in the trace). Certificate states are
// too: the control executor has the emulator re-issue the certificates and
// publishes them (snapshot "certificates"), and the cards here carry them.
class CardExecutor : public Executor {
 public:
  ~CardExecutor() override;

  bool supports(std::string_view action) const override;
  std::vector<std::string> features() const override;
  void prepare(const Given& given, RunContext& context) override;
  StepOutcome execute(const Action& action, RunContext& context) override;
  void finish(RunContext& context) override;

  // The card of `persona` that prepare() put in place (the first one of
  // `given` when `persona` is empty), or nullptr. The client executor of the
  // same worker signs with it, so the trace shows the APDUs of the flow.
  CardSlot* card_of(std::string_view persona);

 protected:
  // `mode` names the transport in trace notes ("direct card mode").
  CardExecutor(std::filesystem::path personas_dir, std::filesystem::path pki_dir, std::string mode);

  // Puts the card of `setup` in place; called by prepare() for every card.
  virtual std::unique_ptr<CardBackend> open_card(const CardSetup& setup,
                                                 const LoadedPersona& loaded,
                                                 RunContext& context) = 0;

 private:
  const LoadedPersona& persona(const std::string& id);
  // A copy of `issued` with the certificates (hex DER by "auth"/"sign") the
  // emulator re-issued, kept for this run.
  const LoadedPersona& with_reissued(const LoadedPersona& issued,
                                     const nlohmann::json& certificates);

  std::filesystem::path personas_dir_;
  std::filesystem::path pki_dir_;
  std::string mode_;
  std::map<std::string, std::unique_ptr<LoadedPersona>> personas_;  // cache: PEM parsing is slow
  // This run's personas whose cards carry re-issued certificates.
  std::vector<std::unique_ptr<LoadedPersona>> reissued_;
  std::map<int, std::unique_ptr<CardSlot>> slots_;
  int default_slot_ = 0;
};

// The error reason of a card refusal: "SW_6982".
std::string sw_reason(std::uint16_t sw);

}  // namespace zairyu::conformance
