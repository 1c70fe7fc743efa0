#include "conformance/card/direct_card_executor.h"

#include "conformance/card/card_slot.h"
#include "conformance/runner/run_context.h"
#include "emulator/card/card.h"
#include "emulator/card/card_state_store.h"
#include "emulator/card/random_source.h"
#include "inprocess_transport.h"

namespace zairyu::conformance {
namespace {

// Seeds the store so the card starts with `tries` (when set).
void set_tries(card::CardStateStore& store, card::PinId pin, std::optional<int> tries) {
  if (!tries) return;
  card::PinRecord record = store.load(pin).value_or(card::PinRecord{});
  record.tries_left = *tries;
  store.save(pin, record);
}

// A virtual card in process: the in-process transport moves it.
class InProcessBackend final : public CardBackend {
 public:
  explicit InProcessBackend(std::shared_ptr<card::Card> card) : transport_(std::move(card)) {}

  client::CardTransport& transport() override { return transport_; }
  void reset() override { transport_.reset(); }
  void remove() override { transport_.remove(); }
  void insert() override { transport_.insert(); }

 private:
  inprocess::InProcessTransport transport_;
};

}  // namespace

DirectCardExecutor::DirectCardExecutor(std::filesystem::path personas_dir,
                                       std::filesystem::path pki_dir)
    : CardExecutor(std::move(personas_dir), std::move(pki_dir), "direct card mode") {}

std::unique_ptr<CardBackend> DirectCardExecutor::open_card(const CardSetup& setup,
                                                           const LoadedPersona& loaded,
                                                           RunContext& context) {
  auto store = std::make_shared<card::MemoryCardStateStore>();
  const auto& issued = loaded.persona.card.pin_tries_left;
  set_tries(*store, card::PinId::kJpkiAuth,
            setup.tries_left.auth ? setup.tries_left.auth : issued.auth);
  set_tries(*store, card::PinId::kJpkiSign,
            setup.tries_left.sign ? setup.tries_left.sign : issued.sign);
  set_tries(*store, card::PinId::kInputHelper,
            setup.tries_left.input_helper ? setup.tries_left.input_helper : issued.input_helper);
  // Each slot's randomness differs but follows from the run's seed.
  auto random = std::make_shared<card::SeededRandomSource>(context.seed() +
                                                           static_cast<std::uint64_t>(setup.slot));
  return std::make_unique<InProcessBackend>(
      std::make_shared<card::Card>(loaded.profile, store, random));
}

}  // namespace zairyu::conformance
