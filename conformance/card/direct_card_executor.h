// DirectCardExecutor: the card actions over virtual My Number Cards linked
// into the process ("direct" transport, zairyu_inprocess_transport).
#pragma once

#include "conformance/card/card_executor.h"

namespace zairyu::conformance {

// Each card gets a fresh in-memory state with the `given` PIN counters and
// randomness seeded from the run's seed, so reruns give the same answers.
class DirectCardExecutor final : public CardExecutor {
 public:
  DirectCardExecutor(std::filesystem::path personas_dir, std::filesystem::path pki_dir);

 private:
  std::unique_ptr<CardBackend> open_card(const CardSetup& setup, const LoadedPersona& loaded,
                                         RunContext& context) override;
};

}  // namespace zairyu::conformance
