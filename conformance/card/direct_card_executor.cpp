#include "conformance/card/direct_card_executor.h"


#include "conformance/card/card_actions.h"
#include "emulator/card/card_state_store.h"
#include "emulator/card/random_source.h"
#include "emulator/persona/card_profile_builder.h"
#include "emulator/persona/pki_directory.h"
#include "zairyu/client/errors.h"

namespace zairyu::conformance {
namespace {

// Seeds the store so the card starts with `tries` (when set).
void set_tries(card::CardStateStore& store, card::PinId pin, std::optional<int> tries) {
  if (!tries) return;
  card::PinRecord record = store.load(pin).value_or(card::PinRecord{});
  record.tries_left = *tries;
  store.save(pin, record);
}

char hex_digit(unsigned value) { return "0123456789ABCDEF"[value & 0x0F]; }

std::string sw_reason(std::uint16_t sw) {
  std::string reason = "SW_";
  for (int shift = 12; shift >= 0; shift -= 4) reason += hex_digit(sw >> shift);
  return reason;
}

}  // namespace

DirectCardExecutor::DirectCardExecutor(std::filesystem::path personas_dir,
                                       std::filesystem::path pki_dir)
    : personas_dir_(std::move(personas_dir)), pki_dir_(std::move(pki_dir)) {}

DirectCardExecutor::~DirectCardExecutor() = default;

bool DirectCardExecutor::supports(std::string_view action) const {
  return card_actions().find(action) != card_actions().end();
}

std::vector<std::string> DirectCardExecutor::features() const {
  return {"card.apdu", "card.input_helper", "card.jpki", "card.jpki.sign"};
}

const LoadedPersona& DirectCardExecutor::persona(const std::string& id) {
  auto& cached = personas_[id];
  if (!cached) {
    const persona::PkiDirectory pki(pki_dir_);
    auto loaded = std::make_unique<LoadedPersona>();
    loaded->persona = persona::load_persona_file(personas_dir_ / (id + ".yaml"));
    loaded->profile = persona::make_card_profile(loaded->persona, pki);
    loaded->auth_ca_der = persona::PkiDirectory::read_bytes(pki.auth_ca_certificate());
    loaded->sign_ca_der = persona::PkiDirectory::read_bytes(pki.sign_ca_certificate());
    cached = std::move(loaded);
  }
  return *cached;
}

void DirectCardExecutor::prepare(const Given& given, RunContext& context) {
  slots_.clear();
  // A scenario without cards is fine until a card action runs (BAD_ARGS then).
  default_slot_ = given.cards.empty() ? 0 : given.cards.front().slot;
  for (const CardSetup& setup : given.cards) {
    const LoadedPersona& loaded = persona(setup.persona);
    auto store = std::make_shared<card::MemoryCardStateStore>();
    const auto& issued = loaded.persona.card.pin_tries_left;
    set_tries(*store, card::PinId::kJpkiAuth,
              setup.tries_left.auth ? setup.tries_left.auth : issued.auth);
    set_tries(*store, card::PinId::kJpkiSign,
              setup.tries_left.sign ? setup.tries_left.sign : issued.sign);
    set_tries(*store, card::PinId::kInputHelper,
              setup.tries_left.input_helper ? setup.tries_left.input_helper : issued.input_helper);
    // Each slot's randomness differs but follows from the run's seed.
    auto random = std::make_shared<card::SeededRandomSource>(
        context.seed() + static_cast<std::uint64_t>(setup.slot));
    auto slot = std::make_unique<CardSlot>(
        loaded, std::make_shared<card::Card>(loaded.profile, store, random));
    slot->channel.set_trace_hook([&context](const client::ApduTrace& trace) {
      context.add_apdu(trace.command, trace.response, trace.masked);
    });
    if (!setup.certificates.empty()) {
      context.add_note(
          "slot " + std::to_string(setup.slot) +
          ": certificate state overrides are applied by the emulator, not in direct card mode");
    }
    slots_[setup.slot] = std::move(slot);
  }
  if (given.clock || given.origin || !given.faults.empty() || given.rule_set_date) {
    context.add_note("clock, origin, faults and rule set date do not apply to the card executor");
  }
}

StepOutcome DirectCardExecutor::execute(const Action& action, RunContext&) {
  StepOutcome outcome;
  try {
    int slot_number = default_slot_;
    if (action.args.contains("slot")) {
      if (!action.args["slot"].is_number_integer()) throw BadArguments("slot must be an integer");
      slot_number = action.args["slot"];
    }
    const auto slot = slots_.find(slot_number);
    if (slot == slots_.end()) throw BadArguments("no card in slot " + std::to_string(slot_number));
    const auto run = card_actions().find(action.name);
    if (run == card_actions().end()) throw BadArguments("unknown card action " + action.name);
    outcome.value = run->second(*slot->second, action.args);
  } catch (const BadArguments& e) {
    outcome.error = "BAD_ARGS";
    outcome.message = e.what();
  } catch (const client::CardStatusError& e) {
    outcome.error = sw_reason(e.sw());
    outcome.message = e.what();
  } catch (const client::CardRemovedError& e) {
    outcome.error = "CARD_REMOVED";
    outcome.message = e.what();
  } catch (const client::PinFormatError& e) {
    outcome.error = "PIN_FORMAT";
    outcome.message = e.what();
  } catch (const client::CardProtocolError& e) {
    outcome.error = "CARD_PROTOCOL";
    outcome.message = e.what();
  } catch (const client::TransportError& e) {
    outcome.error = "TRANSPORT_" + e.code_name();
    outcome.message = e.what();
  }
  return outcome;
}

void DirectCardExecutor::finish(RunContext&) { slots_.clear(); }

}  // namespace zairyu::conformance
