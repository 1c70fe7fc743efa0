#include "conformance/card/pcsc_card_executor.h"

#include <grpcpp/grpcpp.h>
#include <winscard.h>

#include <chrono>
#include <optional>
#include <stdexcept>

#include "conformance/card/card_slot.h"
#include "conformance/card/reader_link.h"
#include "conformance/card/traced_call.h"
#include "conformance/runner/run_context.h"
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

// Pulls the card out of `slot` and waits until pcscd shows `reader` empty.
void take_out(EmulatorCardControl& control, int slot, const std::string& reader,
              RunContext& context) {
  traced(context, "CardControl.RemoveCard", slot, [&] { control.remove(slot); });
  traced(context, "PCSC.SCardGetStatusChange (wait until empty)", slot,
         [&] { wait_until_empty(reader); });
}

// A persona's card in an emulator slot, reached through pcscd. `in_slot`
// (the executor's) tells whether the slot holds a card, kept up to date.
class PcscBackend final : public CardBackend {
 public:
  PcscBackend(EmulatorCardControl& control, int slot, std::string reader, const CardSetup& setup,
              const LoadedPersona& loaded, RunContext& context, bool& in_slot)
      : control_(control),
        slot_(slot),
        context_(context),
        in_slot_(in_slot),
        persona_(setup.persona),
        certificates_(loaded.reissued_certificates ? &loaded.profile : nullptr),
        link_(std::move(reader), kCardWait) {
    const std::map<card::PinId, std::optional<int>> given{
        {card::PinId::kJpkiAuth, setup.tries_left.auth},
        {card::PinId::kJpkiSign, setup.tries_left.sign},
        {card::PinId::kInputHelper, setup.tries_left.input_helper}};
    for (const auto& [pin, tries] : given) {
      if (tries) tries_[pin] = *tries;
    }
    try {
      if (in_slot_) {
        swap_in();
      } else {
        insert();
      }
    } catch (...) {
      if (in_slot_) take_out(control_, slot_, link_.reader(), context_);
      in_slot_ = false;
      throw;
    }
  }

  // The card stays in the slot for the next run to swap out.
  ~PcscBackend() override { link_.disconnect(); }

  client::CardTransport& transport() override { return link_; }

  // The emulator resets the card; pcscd does not learn of it, so the link
  // reconnects to make the client's selection stale.
  void reset() override {
    traced(context_, "CardControl.ResetCard", slot_, [&] { control_.reset(slot_); });
    connect();
  }

  // PIN counters survive the card leaving the reader: they are read before
  // RemoveCard and set again by the next InsertCard. The connection stays
  // open, so the client sees pcscd's own answer to a command on a pulled card.
  void remove() override {
    tries_ = traced(context_, "CardControl.GetPinStatus", slot_,
                    [&] { return control_.pin_tries(slot_); });
    take_out(control_, slot_, link_.reader(), context_);
    in_slot_ = false;
  }

  // Into the empty slot; waits (in SCardConnect) until pcscd has noticed it.
  void insert() override {
    traced(context_, "CardControl.InsertCard", slot_,
           [&] { control_.insert(slot_, persona_, tries_, false, certificates_); });
    in_slot_ = true;
    connect();
  }

 private:
  // In place of the card an earlier run left: pcscd sees no change, so the
  // link resets the card to power up the new one and read its ATR.
  void swap_in() {
    traced(context_, "CardControl.InsertCard (replace)", slot_,
           [&] { control_.insert(slot_, persona_, tries_, true, certificates_); });
    connect();
    traced(context_, "PCSC.SCardReconnect (reset the new card)", slot_, [&] { link_.reset(); });
  }

  void connect() {
    traced(context_, "PCSC.SCardConnect (wait for the card)", slot_, [&] { link_.connect(); });
  }

  EmulatorCardControl& control_;
  int slot_;
  RunContext& context_;
  bool& in_slot_;
  std::string persona_;
  const card::CardProfile* certificates_;  // re-issued ones, or null
  std::map<card::PinId, int> tries_;       // for the next InsertCard
  ReaderLink link_;
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

void EmulatorCardControl::insert(int slot, const std::string& persona,
                                 const std::map<card::PinId, int>& tries, bool replace,
                                 const card::CardProfile* certificates) {
  pb::InsertCardRequest request;
  if (certificates != nullptr) {
    const card::Bytes& auth = certificates->auth_certificate_der;
    request.set_auth_certificate_der(std::string(auth.begin(), auth.end()));
    if (const auto& sign = certificates->sign_certificate_der) {
      request.set_sign_certificate_der(std::string(sign->begin(), sign->end()));
    }
  }
  request.set_slot(slot);
  request.set_persona_id(persona);
  request.set_state_mode(pb::STATE_MODE_FRESH);
  request.set_replace(replace);
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
                                   std::string reader, bool empty_reader_without_cards)
    : CardExecutor(std::move(personas_dir), std::move(pki_dir), "pcsc card mode"),
      control_(std::move(control)),
      emulator_slot_(emulator_slot),
      reader_(std::move(reader)),
      empty_reader_without_cards_(empty_reader_without_cards) {}

PcscCardExecutor::~PcscCardExecutor() {
  try {
    if (card_in_slot_) control_->remove(emulator_slot_);
  } catch (const std::exception&) {
    // Best effort: the emulator may be gone already.
  }
}

void PcscCardExecutor::prepare(const Given& given, RunContext& context) {
  if (given.cards.empty() && card_in_slot_ && empty_reader_without_cards_) {
    take_out(*control_, emulator_slot_, reader_, context);
    card_in_slot_ = false;
  }
  CardExecutor::prepare(given, context);
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
  return std::make_unique<PcscBackend>(*control_, emulator_slot_, reader_, setup, loaded, context,
                                       card_in_slot_);
}

}  // namespace zairyu::conformance
