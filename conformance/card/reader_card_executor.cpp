#include "conformance/card/reader_card_executor.h"

#include <cctype>
#include <chrono>
#include <optional>
#include <stdexcept>

#include "conformance/card/card_slot.h"
#include "conformance/card/reader_link.h"
#include "conformance/card/traced_call.h"
#include "conformance/runner/run_context.h"
#include "emulator/persona/persona.h"

namespace zairyu::conformance {
namespace {

using namespace std::chrono_literals;

constexpr auto kCardWait = 10s;

// The card in the reader. A run starts with a warm reset, so what an earlier
// run verified or selected is gone; remove/insert cannot happen (those runs
// are skipped before they start).
class ReaderBackend final : public CardBackend {
 public:
  ReaderBackend(const std::string& reader, bool reset_first, RunContext& context)
      : link_(reader, kCardWait), context_(context) {
    traced(context_, "PCSC.SCardConnect", 0, [&] { link_.connect(); });
    if (reset_first) reset();
  }

  client::CardTransport& transport() override { return link_; }
  void reset() override {
    traced(context_, "PCSC.SCardReconnect (reset)", 0, [&] { link_.reset(); });
  }
  void remove() override { throw std::logic_error("--reader: nothing can pull the card out"); }
  void insert() override { throw std::logic_error("--reader: nothing can put the card back"); }

 private:
  ReaderLink link_;
  RunContext& context_;
};

bool needs_tries_override(const TriesLeft& tries) {
  return tries.auth || tries.sign || tries.input_helper;
}

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

// True when the step may present a PIN other than the one issued (a wrong
// PIN on purpose, or forcing the last try): on a card nobody can restore,
// that spends tries for good. A sign PIN differing only in case is the
// issued one (the client upper-cases it).
bool may_spend_a_try(const Step& step, const persona::Persona& persona) {
  const nlohmann::json& args = step.action.args;
  if (step.action.name == "verify_pin") {
    if (args.contains("force_last_try")) return true;
    if (!args.contains("value")) return false;
    const std::string pin = args.value("pin", "");
    const std::string value = args["value"].is_string() ? args["value"].get<std::string>() : "";
    std::optional<std::string> issued = persona.pins.sign;
    if (pin == "auth") issued = persona.pins.auth;
    if (pin == "input_helper") issued = persona.pins.input_helper;
    return !issued || upper(value) != upper(*issued);
  }
  if (step.action.name == "transmit") {
    // A raw VERIFY / CHANGE REFERENCE DATA / RESET RETRY COUNTER with data.
    const std::string apdu = args.value("apdu", "");
    const std::string ins = apdu.size() >= 5 ? upper(apdu.substr(3, 2)) : "";
    return (ins == "20" || ins == "24" || ins == "2C") && apdu.size() > 12;
  }
  return false;
}

}  // namespace

ReaderCardExecutor::ReaderCardExecutor(std::filesystem::path personas_dir,
                                       std::filesystem::path pki_dir, std::string reader,
                                       std::string persona, bool reset_each_run)
    : CardExecutor(personas_dir, std::move(pki_dir), "reader card mode"),
      personas_dir_(std::move(personas_dir)),
      reader_(std::move(reader)),
      persona_(std::move(persona)),
      reset_each_run_(reset_each_run) {}

std::string ReaderCardExecutor::skip_reason(const Variant& variant) const {
  for (const CardSetup& card : variant.given.cards) {
    if (card.slot != 0)
      return "--reader: one reader, so only slot 0 (given uses slot " + std::to_string(card.slot) +
             ")";
    if (!persona_.empty() && card.persona != persona_) {
      return "--reader: the card in the reader is '" + persona_ + "', the run needs '" +
             card.persona + "'";
    }
    if (needs_tries_override(card.tries_left)) {
      return "--reader: setting PIN tries needs the emulator's CardControl";
    }
  }
  if (variant.given.cards.size() > 1) return "--reader: the run needs more than one card";
  // Without a readable persona no PIN is the issued one (prepare() then
  // reports the persona error itself).
  persona::Persona persona;
  try {
    if (!variant.given.cards.empty()) {
      persona = persona::load_persona_file(personas_dir_ /
                                           (variant.given.cards.front().persona + ".yaml"));
    }
  } catch (const std::exception&) {
    persona = persona::Persona{};
  }
  for (const Step& step : variant.steps) {
    if (step.action.kind == ActionKind::kCard && may_spend_a_try(step, persona)) {
      return "--reader: step " + step.action.name +
             " may present a wrong PIN, spending a try of a card whose counters cannot be reset";
    }
    // `card: remove` or the control plane's `card.remove` (and insert).
    const std::string& name = step.action.name;
    const bool moves_card =
        (step.action.kind == ActionKind::kCard && (name == "remove" || name == "insert")) ||
        (step.action.kind == ActionKind::kControl &&
         (name == "card.remove" || name == "card.insert"));
    if (moves_card) return "--reader: " + name + " needs the emulator's CardControl";
  }
  return {};
}

std::unique_ptr<CardBackend> ReaderCardExecutor::open_card(const CardSetup& setup,
                                                           const LoadedPersona&,
                                                           RunContext& context) {
  context.add_note("slot " + std::to_string(setup.slot) + ": the card in reader '" + reader_ +
                   (reset_each_run_ ? "' (warm reset)" : "'") + ", taken as persona '" +
                   setup.persona + "'");
  return std::make_unique<ReaderBackend>(reader_, reset_each_run_, context);
}

}  // namespace zairyu::conformance
