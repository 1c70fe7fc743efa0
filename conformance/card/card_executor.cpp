#include "conformance/card/card_executor.h"

#include "conformance/card/card_actions.h"
#include "conformance/card/card_slot.h"
#include "conformance/runner/run_context.h"
#include "emulator/card/bytes.h"
#include "emulator/persona/card_profile_builder.h"
#include "emulator/persona/pki_directory.h"
#include "zairyu/client/errors.h"

namespace zairyu::conformance {
namespace {

char hex_digit(unsigned value) { return "0123456789ABCDEF"[value & 0x0F]; }

}  // namespace

std::string sw_reason(std::uint16_t sw) {
  std::string reason = "SW_";
  for (int shift = 12; shift >= 0; shift -= 4) reason += hex_digit(sw >> shift);
  return reason;
}

CardExecutor::CardExecutor(std::filesystem::path personas_dir, std::filesystem::path pki_dir,
                           std::string mode)
    : personas_dir_(std::move(personas_dir)),
      pki_dir_(std::move(pki_dir)),
      mode_(std::move(mode)) {}

CardExecutor::~CardExecutor() = default;

bool CardExecutor::supports(std::string_view action) const {
  return card_actions().find(action) != card_actions().end();
}

std::vector<std::string> CardExecutor::features() const {
  return {"card.apdu", "card.input_helper", "card.jpki", "card.jpki.sign"};
}

const LoadedPersona& CardExecutor::persona(const std::string& id) {
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

const LoadedPersona& CardExecutor::with_reissued(const LoadedPersona& issued,
                                                 const nlohmann::json& certificates) {
  auto loaded = std::make_unique<LoadedPersona>(issued);
  loaded->reissued_certificates = true;
  if (certificates.contains("auth")) {
    loaded->profile.auth_certificate_der = card::from_hex(certificates["auth"].get<std::string>());
  }
  if (certificates.contains("sign")) {
    loaded->profile.sign_certificate_der = card::from_hex(certificates["sign"].get<std::string>());
  }
  return *reissued_.emplace_back(std::move(loaded));
}

void CardExecutor::prepare(const Given& given, RunContext& context) {
  slots_.clear();
  reissued_.clear();
  const nlohmann::json* reissued = context.snapshot("certificates");
  // A scenario without cards is fine until a card action runs (BAD_ARGS then).
  default_slot_ = given.cards.empty() ? 0 : given.cards.front().slot;
  for (const CardSetup& setup : given.cards) {
    const LoadedPersona* loaded = &persona(setup.persona);
    if (reissued != nullptr && reissued->contains(setup.persona)) {
      loaded = &with_reissued(*loaded, (*reissued)[setup.persona]);
    }
    auto slot = std::make_unique<CardSlot>(*loaded, open_card(setup, *loaded, context));
    slot->timed.set_clock([&context] { return context.elapsed_us(); });
    slot->channel.set_trace_hook([&context, timed = &slot->timed](const client::ApduTrace& trace) {
      context.add_apdu(trace.command, trace.response, trace.masked, timed->last_start());
    });
    slots_[setup.slot] = std::move(slot);
  }
  if (given.clock || given.origin || !given.faults.empty() || given.rule_set_date) {
    context.add_note(
        "the card executor leaves clock, origin, faults and rule set date to the control executor");
  }
}

StepOutcome CardExecutor::execute(const Action& action, RunContext&) {
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

CardSlot* CardExecutor::card_of(std::string_view persona) {
  if (persona.empty()) {
    const auto it = slots_.find(default_slot_);
    return it == slots_.end() ? nullptr : it->second.get();
  }
  for (auto& [number, slot] : slots_) {
    if (slot->persona.persona.id == persona) return slot.get();
  }
  return nullptr;
}

void CardExecutor::finish(RunContext&) { slots_.clear(); }

}  // namespace zairyu::conformance
