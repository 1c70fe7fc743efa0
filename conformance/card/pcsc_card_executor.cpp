#include "conformance/card/pcsc_card_executor.h"

#include <grpcpp/grpcpp.h>
#include <winscard.h>

#include <chrono>
#include <optional>
#include <stdexcept>

#include "conformance/card/card_slot.h"
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

// A PcscTransport on one reader that can be connected anew (after the card
// came back or was reset behind its back), session() counting on across
// connections so the client knows its selection is gone.
class ReaderLink final : public client::CardTransport {
 public:
  explicit ReaderLink(std::string reader) : reader_(std::move(reader)) {}

  // Drops the connection (if any) and connects anew, waiting for the card.
  void connect() {
    if (pcsc_) session_base_ += pcsc_->session();
    pcsc_.reset();
    client::PcscOptions options;
    options.reader = reader_;
    options.card_wait = kCardWait;
    pcsc_ = std::make_unique<client::PcscTransport>(options);
  }
  void disconnect() { pcsc_.reset(); }
  const std::string& reader() const { return reader_; }

  client::Bytes transmit(client::ByteView command) override { return pcsc_->transmit(command); }
  void reset() override { pcsc_->reset(); }
  client::Bytes atr() const override { return pcsc_->atr(); }
  std::uint64_t session() const override { return session_base_ + pcsc_->session(); }

 private:
  std::string reader_;
  std::unique_ptr<client::PcscTransport> pcsc_;
  std::uint64_t session_base_ = 0;
};

// A persona's card in an emulator slot, reached through pcscd.
class PcscBackend final : public CardBackend {
 public:
  PcscBackend(EmulatorCardControl& control, int slot, std::string reader, const CardSetup& setup)
      : control_(control),
        slot_(slot),
        claim_(control, setup.persona),
        persona_(setup.persona),
        link_(std::move(reader)) {
    const std::map<card::PinId, std::optional<int>> given{
        {card::PinId::kJpkiAuth, setup.tries_left.auth},
        {card::PinId::kJpkiSign, setup.tries_left.sign},
        {card::PinId::kInputHelper, setup.tries_left.input_helper}};
    for (const auto& [pin, tries] : given) {
      if (tries) tries_[pin] = *tries;
    }
    control_.insert(slot_, persona_, tries_);
    inserted_ = true;
    try {
      link_.connect();
    } catch (...) {
      take_out();
      throw;
    }
  }

  ~PcscBackend() override {
    link_.disconnect();
    try {
      if (inserted_) take_out();
    } catch (const std::exception&) {
      // Best effort: the next InsertCard into this slot reports what is wrong.
    }
  }

  client::CardTransport& transport() override { return link_; }

  // The emulator resets the card; pcscd does not learn of it, so the link
  // reconnects to make the client's selection stale.
  void reset() override {
    control_.reset(slot_);
    link_.connect();
  }

  // PIN counters survive the card leaving the reader: they are read before
  // RemoveCard and set again by the next InsertCard. The connection stays
  // open, so the client sees pcscd's own answer to a command on a pulled card.
  void remove() override {
    tries_ = control_.pin_tries(slot_);
    take_out();
  }

  void insert() override {
    control_.insert(slot_, persona_, tries_);
    inserted_ = true;
    link_.connect();
  }

 private:
  void take_out() {
    control_.remove(slot_);
    inserted_ = false;
    wait_until_empty(link_.reader());
  }

  EmulatorCardControl& control_;
  int slot_;
  Claim claim_;  // released last, after the card is out
  std::string persona_;
  std::map<card::PinId, int> tries_;  // for the next InsertCard
  bool inserted_ = false;
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

void EmulatorCardControl::claim(const std::string& persona) {
  std::unique_lock lock(mutex_);
  released_.wait(lock, [&] { return !claimed_.contains(persona); });
  claimed_.insert(persona);
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

std::unique_ptr<CardBackend> PcscCardExecutor::open_card(const CardSetup& setup,
                                                         const LoadedPersona&,
                                                         RunContext& context) {
  if (setup.slot != 0) {
    throw std::runtime_error("slot " + std::to_string(setup.slot) +
                             ": the pcsc transport gives each worker one reader (slot 0)");
  }
  context.add_note("slot 0: emulator slot " + std::to_string(emulator_slot_) + ", reader '" +
                   reader_ + "'");
  return std::make_unique<PcscBackend>(*control_, emulator_slot_, reader_, setup);
}

}  // namespace zairyu::conformance
