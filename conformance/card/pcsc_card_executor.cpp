#include "conformance/card/pcsc_card_executor.h"

#include <grpcpp/grpcpp.h>
#include <winscard.h>

#include <chrono>
#include <functional>
#include <optional>
#include <stdexcept>

#include "conformance/card/card_slot.h"
#include "conformance/card/reader_link.h"
#include "conformance/card/traced_call.h"
#include "conformance/runner/run_context.h"
#include "emulator/card/pin.h"
#include "emulator/persona/persona.h"
#include "zairyu/card/v1/card_control.grpc.pb.h"
#include "zairyu/client/errors.h"
#include "zairyu/client/pcsc_transport.h"

namespace zairyu::conformance {
namespace {

namespace pb = zairyu::card::v1;
using namespace std::chrono_literals;

constexpr auto kRpcDeadline = 10s;
constexpr auto kCardWait = 10s;  // pcscd polls vpcd readers: insertion shows after a while

const std::map<card::PinId, pb::Pin> kPins{{card::PinId::kJpkiAuth, pb::PIN_JPKI_AUTH},
                                           {card::PinId::kJpkiSign, pb::PIN_JPKI_SIGN},
                                           {card::PinId::kInputHelper, pb::PIN_INPUT_HELPER}};

void check(const char* call, const grpc::Status& status) {
  if (!status.ok()) {
    throw std::runtime_error(std::string("CardControl.") + call + ": " + status.error_message());
  }
}

// A context for one call (gRPC contexts are single-use) with a deadline.
std::unique_ptr<grpc::ClientContext> rpc_context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + kRpcDeadline);
  return context;
}

// Waits until pcscd shows `reader` without a card, so the next insertion is
// a new card for the client (not the old one pcscd has not noticed leaving).
void wait_until_empty(const std::string& reader) {
  SCARDCONTEXT context = 0;
  if (SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &context) != SCARD_S_SUCCESS) {
    throw std::runtime_error("PC/SC: no context");
  }
  SCARD_READERSTATE state{};
  state.szReader = reader.c_str();
  state.dwCurrentState = SCARD_STATE_UNAWARE;
  const auto deadline = std::chrono::steady_clock::now() + kCardWait;
  LONG rc = SCARD_S_SUCCESS;
  while (rc == SCARD_S_SUCCESS && (state.dwEventState & SCARD_STATE_EMPTY) == 0 &&
         std::chrono::steady_clock::now() < deadline) {
    rc = SCardGetStatusChange(context, 1000, &state, 1);
    state.dwCurrentState = state.dwEventState & ~SCARD_STATE_CHANGED;
    if (rc == SCARD_E_TIMEOUT) rc = SCARD_S_SUCCESS;
  }
  SCardReleaseContext(context);
  if ((state.dwEventState & SCARD_STATE_EMPTY) == 0) {
    throw std::runtime_error("reader '" + reader + "' still shows a card after RemoveCard (" +
                             client::pcsc_error_name(rc) + ")");
  }
}

// Holds a persona's card for one worker while it lives.
class Claim {
 public:
  Claim(EmulatorCardControl& control, std::string persona)
      : control_(control), persona_(std::move(persona)) {
    control_.claim(persona_);
  }
  ~Claim() { control_.release(persona_); }
  Claim(const Claim&) = delete;
  Claim& operator=(const Claim&) = delete;

 private:
  EmulatorCardControl& control_;
  std::string persona_;
};

// The PIN counters a run's card must start with: `given` overrides, else the
// persona's own starting counters, else the maximum.
std::map<card::PinId, int> wanted_tries(const CardSetup& setup, const persona::Persona& persona) {
  const persona::PinTriesLeft& own = persona.card.pin_tries_left;
  const std::map<card::PinId, std::pair<std::optional<int>, std::optional<int>>> sources{
      {card::PinId::kJpkiAuth, {setup.tries_left.auth, own.auth}},
      {card::PinId::kJpkiSign, {setup.tries_left.sign, own.sign}},
      {card::PinId::kInputHelper, {setup.tries_left.input_helper, own.input_helper}}};
  std::map<card::PinId, int> tries;
  for (const auto& [pin, source] : sources) {
    tries[pin] = source.first.value_or(source.second.value_or(card::pin_policy(pin).max_tries));
  }
  return tries;
}

// True when the run sent a command that changes a PIN or a retry counter
// behind the counters' back (CHANGE REFERENCE DATA, RESET RETRY COUNTER):
// such a card is not reused.
bool changed_pins(const RunContext& context) {
  for (const ApduRecord& apdu : context.apdus()) {
    if (apdu.command.size() >= 2 && (apdu.command[1] == 0x24 || apdu.command[1] == 0x2C)) {
      return true;
    }
  }
  return false;
}

}  // namespace

// A persona's card in the worker's emulator slot with the worker's link to
// its reader. A run's PcscBackend holds it; afterwards the executor may keep
// it in the reader for the next run of the same persona (see open_card()).
struct PcscCardExecutor::SlotCard {
  SlotCard(EmulatorCardControl& control, std::string persona_id, const std::string& reader)
      : claim(control, persona_id), persona(std::move(persona_id)), link(reader, kCardWait) {}

  Claim claim;  // declared first: released last, after the card is out
  std::string persona;
  std::map<card::PinId, int> tries;  // for the next InsertCard
  bool inserted = false;
  ReaderLink link;
};

namespace {

// One run's view of a SlotCard: puts it in, resets, pulls out and puts back
// the card for the card actions, and hands it back to the executor at the
// end of the run.
class PcscBackend final : public CardBackend {
 public:
  using GiveBack = std::function<void(std::unique_ptr<PcscCardExecutor::SlotCard>)>;

  PcscBackend(EmulatorCardControl& control, int slot,
              std::unique_ptr<PcscCardExecutor::SlotCard> card, RunContext& context,
              GiveBack give_back)
      : control_(control),
        slot_(slot),
        card_(std::move(card)),
        context_(context),
        give_back_(std::move(give_back)) {}

  ~PcscBackend() override { give_back_(std::move(card_)); }

  client::CardTransport& transport() override { return card_->link; }

  // The emulator resets the card; pcscd does not learn of it, so the link
  // reconnects to make the client's selection stale.
  void reset() override { reset_card(control_, slot_, *card_, context_); }

  // PIN counters survive the card leaving the reader: they are read before
  // RemoveCard and set again by the next InsertCard. The connection stays
  // open, so the client sees pcscd's own answer to a command on a pulled card.
  void remove() override {
    card_->tries = traced(context_, "CardControl.GetPinStatus", slot_,
                          [&] { return control_.pin_tries(slot_); });
    take_out(control_, slot_, *card_, context_);
  }

  void insert() override { put_in(control_, slot_, *card_, context_); }

  static void put_in(EmulatorCardControl& control, int slot, PcscCardExecutor::SlotCard& card,
                     RunContext& context) {
    traced(context, "CardControl.InsertCard", slot,
           [&] { control.insert(slot, card.persona, card.tries); });
    card.inserted = true;
    // Waits (in SCardConnect) until pcscd has noticed the card.
    traced(context, "PCSC.SCardConnect (wait for the card)", slot, [&] { card.link.connect(); });
  }

  static void take_out(EmulatorCardControl& control, int slot, PcscCardExecutor::SlotCard& card,
                       RunContext& context) {
    traced(context, "CardControl.RemoveCard", slot, [&] { control.remove(slot); });
    card.inserted = false;
    traced(context, "PCSC.SCardGetStatusChange (wait until empty)", slot,
           [&] { wait_until_empty(card.link.reader()); });
  }

  static void reset_card(EmulatorCardControl& control, int slot, PcscCardExecutor::SlotCard& card,
                         RunContext& context) {
    traced(context, "CardControl.ResetCard", slot, [&] { control.reset(slot); });
    traced(context, "PCSC.SCardConnect", slot, [&] { card.link.connect(); });
  }

 private:
  EmulatorCardControl& control_;
  int slot_;
  std::unique_ptr<PcscCardExecutor::SlotCard> card_;
  RunContext& context_;
  GiveBack give_back_;
};

}  // namespace

struct EmulatorCardControl::Stub {
  std::unique_ptr<pb::CardControl::Stub> rpc;
};

EmulatorCardControl::EmulatorCardControl(const std::string& address)
    : stub_(std::make_unique<Stub>()) {
  stub_->rpc =
      pb::CardControl::NewStub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
}

EmulatorCardControl::~EmulatorCardControl() = default;

void EmulatorCardControl::claim(const std::string& persona) {
  std::unique_lock lock(mutex_);
  ++waiting_[persona];
  released_.wait(lock, [&] { return !claimed_.contains(persona); });
  if (--waiting_[persona] == 0) waiting_.erase(persona);
  claimed_.insert(persona);
}

bool EmulatorCardControl::wanted(const std::string& persona) {
  const std::lock_guard lock(mutex_);
  return waiting_.contains(persona);
}

void EmulatorCardControl::release(const std::string& persona) {
  {
    const std::lock_guard lock(mutex_);
    claimed_.erase(persona);
  }
  released_.notify_all();
}

void EmulatorCardControl::insert(int slot, const std::string& persona,
                                 const std::map<card::PinId, int>& tries) {
  pb::InsertCardRequest request;
  request.set_slot(slot);
  request.set_persona_id(persona);
  request.set_state_mode(pb::STATE_MODE_FRESH);
  for (const auto& [pin, left] : tries) {
    pb::PinTriesOverride* override_tries = request.add_pin_tries();
    override_tries->set_pin(kPins.at(pin));
    override_tries->set_tries_left(left);
  }
  pb::InsertCardResponse response;
  check("InsertCard", stub_->rpc->InsertCard(rpc_context().get(), request, &response));
}

void EmulatorCardControl::remove(int slot) {
  pb::RemoveCardRequest request;
  request.set_slot(slot);
  pb::RemoveCardResponse response;
  check("RemoveCard", stub_->rpc->RemoveCard(rpc_context().get(), request, &response));
}

void EmulatorCardControl::reset(int slot) {
  pb::ResetCardRequest request;
  request.set_slot(slot);
  pb::ResetCardResponse response;
  check("ResetCard", stub_->rpc->ResetCard(rpc_context().get(), request, &response));
}

std::map<card::PinId, int> EmulatorCardControl::pin_tries(int slot) {
  pb::GetPinStatusRequest request;
  request.set_slot(slot);
  pb::GetPinStatusResponse response;
  check("GetPinStatus", stub_->rpc->GetPinStatus(rpc_context().get(), request, &response));
  std::map<card::PinId, int> tries;
  for (const pb::PinStatus& status : response.pins()) {
    for (const auto& [pin, proto] : kPins) {
      if (proto == status.pin()) tries[pin] = status.tries_left();
    }
  }
  return tries;
}

PcscCardExecutor::PcscCardExecutor(std::filesystem::path personas_dir,
                                   std::filesystem::path pki_dir,
                                   std::shared_ptr<EmulatorCardControl> control, int emulator_slot,
                                   std::string reader)
    : CardExecutor(std::move(personas_dir), std::move(pki_dir), "pcsc card mode"),
      control_(std::move(control)),
      emulator_slot_(emulator_slot),
      reader_(std::move(reader)) {}

PcscCardExecutor::~PcscCardExecutor() {
  if (!parked_) return;
  try {
    RunContext unrecorded(0);
    PcscBackend::take_out(*control_, emulator_slot_, *parked_, unrecorded);
  } catch (const std::exception&) {
    // Best effort: the emulator and pcscd are about to stop.
  }
}

std::unique_ptr<CardBackend> PcscCardExecutor::open_card(const CardSetup& setup,
                                                         const LoadedPersona& loaded,
                                                         RunContext& context) {
  if (setup.slot != 0) {
    throw std::runtime_error("slot " + std::to_string(setup.slot) +
                             ": the pcsc transport gives each worker one reader (slot 0)");
  }
  context.add_note("slot 0: emulator slot " + std::to_string(emulator_slot_) + ", reader '" +
                   reader_ + "'");
  const std::map<card::PinId, int> tries = wanted_tries(setup, loaded.persona);
  std::unique_ptr<SlotCard> card = std::move(parked_);
  if (card && card->persona == setup.persona) {
    // The card the previous run left in the reader: reused when its counters
    // are what this run needs, after a warm reset (no security state, no
    // selection). Saves pcscd's polling delays of a removal and an insertion.
    const std::map<card::PinId, int> now =
        traced(context, "CardControl.GetPinStatus", emulator_slot_,
               [&] { return control_->pin_tries(emulator_slot_); });
    bool same = true;
    for (const auto& [pin, left] : now) same = same && tries.at(pin) == left;
    if (same) {
      context.add_note("slot 0: the card of '" + card->persona +
                       "' stayed in the reader from the previous run (same PIN counters); "
                       "warm reset");
      PcscBackend::reset_card(*control_, emulator_slot_, *card, context);
      return make_backend(std::move(card), context);
    }
  }
  if (card) {
    PcscBackend::take_out(*control_, emulator_slot_, *card, context);
    card.reset();
  }
  const std::int64_t claim_started = context.elapsed_us();
  card = std::make_unique<SlotCard>(*control_, setup.persona, reader_);
  const std::int64_t waited_us = context.elapsed_us() - claim_started;
  if (waited_us > 1000) {
    context.add_note("waited " + std::to_string(waited_us / 1000) + " ms for the card of '" +
                     setup.persona + "' (another worker had it)");
  }
  card->tries = tries;
  try {
    PcscBackend::put_in(*control_, emulator_slot_, *card, context);
  } catch (...) {
    if (card->inserted) PcscBackend::take_out(*control_, emulator_slot_, *card, context);
    throw;
  }
  return make_backend(std::move(card), context);
}

std::unique_ptr<CardBackend> PcscCardExecutor::make_backend(std::unique_ptr<SlotCard> card,
                                                            RunContext& context) {
  return std::make_unique<PcscBackend>(*control_, emulator_slot_, std::move(card), context,
                                       [this, &context](std::unique_ptr<SlotCard> returned) {
                                         give_back(std::move(returned), context);
                                       });
}

void PcscCardExecutor::give_back(std::unique_ptr<SlotCard> card, RunContext& context) {
  // Parked when the next run of this worker may reuse it and no other worker
  // waits for this persona's card; else out of the reader now.
  if (card->inserted && !changed_pins(context) && !control_->wanted(card->persona)) {
    parked_ = std::move(card);
    return;
  }
  try {
    if (card->inserted) PcscBackend::take_out(*control_, emulator_slot_, *card, context);
  } catch (const std::exception& e) {
    // The next InsertCard into this slot reports what is wrong.
    context.add_note(std::string("removing the card failed: ") + e.what());
  }
}

}  // namespace zairyu::conformance
