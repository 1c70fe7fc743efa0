// ReaderCardExecutor: the card actions against whatever card sits in a PC/SC
// reader (`zairyu-conformance run --reader NAME`): a real My Number Card,
// another emulator, or ours behind vpcd started by hand. Nothing controls
// that card, so runs that need the emulator's CardControl (pulling the card
// out, putting it back, setting PIN counters) are SKIPPED with the reason.
#pragma once

#include <string>

#include "conformance/card/card_executor.h"

namespace zairyu::conformance {

class ReaderCardExecutor final : public CardExecutor {
 public:
  // `persona`: the persona the card in `reader` was issued as (what checks
  // compare its answers with); runs whose cards are other personas are
  // SKIPPED. Empty: every run's persona is taken to be the card in the reader.
  // `reset_each_run`: warm-reset the card when a run begins (`--reader`);
  // false for a client sharing a reader with the harness's own connection
  // (examples/grpc-adapter), which a reset would disturb.
  ReaderCardExecutor(std::filesystem::path personas_dir, std::filesystem::path pki_dir,
                     std::string reader, std::string persona, bool reset_each_run = true);

  std::string skip_reason(const Variant& variant) const override;

 private:
  std::unique_ptr<CardBackend> open_card(const CardSetup& setup, const LoadedPersona& loaded,
                                         RunContext& context) override;

  std::filesystem::path personas_dir_;
  std::string reader_;
  std::string persona_;
  bool reset_each_run_;
};

}  // namespace zairyu::conformance
