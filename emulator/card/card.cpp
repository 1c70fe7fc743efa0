#include "emulator/card/card.h"

#include <stdexcept>

#include "emulator/card/card_impl.h"
#include "emulator/card/status_words.h"

namespace zairyu::card {
namespace {

// The largest short response: 256 data bytes + SW1 SW2.
constexpr std::size_t kShortResponseCapacity = 258;

constexpr std::uint8_t kInsSelect = 0xA4;
constexpr std::uint8_t kInsReadBinary = 0xB0;
constexpr std::uint8_t kInsVerify = 0x20;
constexpr std::uint8_t kInsChangeReferenceData = 0x24;
constexpr std::uint8_t kInsGetChallenge = 0x84;
constexpr std::uint8_t kInsComputeDigitalSignature = 0x2A;

// Which instruction table a class byte selects: ISO (CLA 0X) or JICSAP
// proprietary (CLA 8X, only COMPUTE DIGITAL SIGNATURE).
enum class CommandClass { kInterindustry, kProprietary };

// Checks the class byte (ISO 7816-4 5.4.1). Returns 0 when the command may run,
// else the status word; `cls` tells which instruction table applies.
std::uint16_t check_class(const CommandApdu& c, CommandClass* cls) {
  const std::uint8_t cla = c.cla;
  if ((cla & 0xE0) == 0x00) {
    *cls = CommandClass::kInterindustry;
  } else if ((cla & 0xE0) == 0x80) {
    // JICSAP proprietary class 8X uses the first-interindustry bit layout.
    *cls = CommandClass::kProprietary;
  } else if ((cla & 0xC0) == 0x40) {
    return sw::kChannelNotSupported;  // further interindustry class: channels 4-19
  } else {
    return sw::kClaNotSupported;
  }
  if ((cla & 0x03) != 0) return sw::kChannelNotSupported;
  if ((cla & 0x0C) != 0) {
    // A real card answers 69 FC to SM READ BINARY / VERIFY (myna-card probe).
    const bool probed =
        *cls == CommandClass::kInterindustry && (c.ins == kInsReadBinary || c.ins == kInsVerify);
    return probed ? sw::kSecureMessagingRejected : sw::kSecureMessagingNotSupported;
  }
  if ((cla & 0x10) != 0) return sw::kChainingNotSupported;
  return 0;
}

void append_sw(Bytes& out, std::uint16_t status) {
  out.push_back(static_cast<std::uint8_t>(status >> 8));
  out.push_back(static_cast<std::uint8_t>(status));
}

const Bytes& contact_atr() {
  static const Bytes atr{0x3B, 0xE0, 0x00, 0xFF, 0x81, 0x31, 0xFE, 0x45, 0x14};
  return atr;
}

}  // namespace

// ---- CardImpl ----

CardImpl::CardImpl(const CardProfile& profile, std::shared_ptr<CardStateStore> store,
                   std::shared_ptr<RandomSource> random)
    : options_(profile.options),
      store_(std::move(store)),
      random_(std::move(random)),
      jpki_(profile),
      input_helper_(profile),
      pins_{PinCounter(PinId::kJpkiAuth, profile.auth_pin, *store_),
            PinCounter(PinId::kJpkiSign, profile.sign_pin, *store_),
            PinCounter(PinId::kInputHelper, profile.input_helper_pin, *store_)} {}

void CardImpl::reset() {
  current_df_ = nullptr;
  current_ef_ = nullptr;
  verified_ = 0;
}

void CardImpl::enter(const Application* app) {
  if (app != current_df_ && options_.clear_security_on_df_change) verified_ = 0;
  current_df_ = app;
  current_ef_ = nullptr;
}

Card::PinStatus CardImpl::pin_status(PinId pin) const {
  const PinCounter& p = counter(pin);
  const int left = p.tries_left();
  return Card::PinStatus{left, p.max_tries(), left == 0};
}

void CardImpl::transmit(ByteView command, Bytes& out) noexcept {
  out.clear();
  std::uint16_t status = sw::kNoDiagnosis;
  try {
    const ParsedApdu parsed = parse_command_apdu(command);
    status = parsed.command ? dispatch(*parsed.command, out) : parsed.error_sw;
  } catch (...) {
    // Handlers map the failures they expect; anything else (bad_alloc, a
    // failing RandomSource) must still give the reader a status word.
    status = sw::kNoDiagnosis;
  }
  if (status != sw::kOk) out.clear();
  try {
    append_sw(out, status);
  } catch (...) {
    // Only reachable if two bytes cannot be allocated; the buffer stays empty.
  }
}

std::uint16_t CardImpl::dispatch(const CommandApdu& c, Bytes& out) {
  CommandClass cls = CommandClass::kInterindustry;
  if (const std::uint16_t status = check_class(c, &cls); status != 0) return status;
  if (cls == CommandClass::kProprietary) {
    if (c.ins == kInsComputeDigitalSignature) return compute_digital_signature(c, out);
    return sw::kInsNotSupported;
  }
  switch (c.ins) {
    case kInsSelect:
      return select(c, out);
    case kInsReadBinary:
      return read_binary(c, out);
    case kInsVerify:
      return verify(c);
    case kInsChangeReferenceData:
      return change_reference_data(c);
    case kInsGetChallenge:
      return get_challenge(c, out);
    default:
      return sw::kInsNotSupported;
  }
}

const ElementaryFile* CardImpl::internal_ef(std::uint8_t p2, EfType type, std::uint16_t* sw) const {
  const ElementaryFile* ef = nullptr;
  if (p2 == 0x80) {
    if (current_ef_ == nullptr) {
      *sw = sw::kNoCurrentEf;
      return nullptr;
    }
    if (current_ef_->type != type) {
      *sw = sw::kIncompatibleFile;
      return nullptr;
    }
    return current_ef_;
  }
  if ((p2 & 0xE0) != 0x80 || (p2 & 0x1F) == 0x1F) {
    *sw = sw::kWrongP1P2;
    return nullptr;
  }
  if (current_df_ != nullptr) ef = current_df_->find_sfi(p2 & 0x1F);
  if (ef == nullptr || ef->type != type) {
    *sw = sw::kReferenceNotFound;
    return nullptr;
  }
  return ef;
}

// ---- Card ----

Card::Card(CardProfile profile, std::shared_ptr<CardStateStore> store,
           std::shared_ptr<RandomSource> random) {
  if (!store) throw std::invalid_argument("Card: a CardStateStore is required");
  if (!random) throw std::invalid_argument("Card: a RandomSource is required");
  impl_ = std::make_unique<CardImpl>(profile, std::move(store), std::move(random));
}

Card::~Card() = default;

const Bytes& Card::atr() const { return contact_atr(); }

void Card::reset() { impl_->reset(); }

Bytes Card::transmit(ByteView command) {
  Bytes response;
  response.reserve(kShortResponseCapacity);
  impl_->transmit(command, response);
  return response;
}

void Card::transmit(ByteView command, Bytes& response) {
  if (response.capacity() < kShortResponseCapacity) response.reserve(kShortResponseCapacity);
  impl_->transmit(command, response);
}

Card::PinStatus Card::pin_status(PinId pin) const { return impl_->pin_status(pin); }

}  // namespace zairyu::card
