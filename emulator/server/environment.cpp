#include "emulator/server/environment.h"

#include <array>
#include <string>
#include <utility>

#include "emulator/card/pin.h"
#include "emulator/card/random_source.h"
#include "emulator/server/control_error.h"

namespace zairyu::server {
namespace {

constexpr std::array kAllPins = {card::PinId::kJpkiAuth, card::PinId::kJpkiSign,
                                 card::PinId::kInputHelper};

std::string pin_name(card::PinId pin) {
  switch (pin) {
    case card::PinId::kJpkiAuth:
      return "jpki_auth";
    case card::PinId::kJpkiSign:
      return "jpki_sign";
    case card::PinId::kInputHelper:
      return "input_helper";
  }
  return "unknown";
}

std::optional<int> initial_tries(const persona::PinTriesLeft& tries, card::PinId pin) {
  switch (pin) {
    case card::PinId::kJpkiAuth:
      return tries.auth;
    case card::PinId::kJpkiSign:
      return tries.sign;
    case card::PinId::kInputHelper:
      return tries.input_helper;
  }
  return std::nullopt;
}

void apply(const CardOptionOverrides& overrides, card::CardOptions& options) {
  auto set = [](const std::optional<bool>& from, bool& to) {
    if (from) to = *from;
  };
  set(overrides.empty_verify_after_success_answers_9000,
      options.empty_verify_after_success_answers_9000);
  set(overrides.clear_security_on_df_change, options.clear_security_on_df_change);
  set(overrides.extended_length, options.extended_length);
  set(overrides.eof_answers_6282, options.eof_answers_6282);
}

// Sets `pin`'s tries left, keeping a changed PIN value if the store has one.
void set_tries(card::CardStateStore& store, card::PinId pin, int tries_left) {
  card::PinRecord record = store.load(pin).value_or(card::PinRecord{});
  record.tries_left = tries_left;
  store.save(pin, record);
}

ControlError slot_empty(int slot) {
  return ControlError(ControlError::Kind::kFailedPrecondition, "SLOT_EMPTY",
                      "slot " + std::to_string(slot) + " holds no card",
                      {{"slot", std::to_string(slot)}});
}

}  // namespace

Environment::Environment(EnvironmentOptions options)
    : options_(std::move(options)),
      personas_(options_.personas_dir, options_.pki_dir),
      certificates_(options_.pki_dir) {
  if (options_.slot_count < 1 || options_.vpcd_slots < 0 ||
      options_.vpcd_slots > options_.slot_count) {
    throw std::invalid_argument("need slot_count >= 1 and 0 <= vpcd_slots <= slot_count");
  }
  if (options_.vpcd_slots > 0 && options_.vpcd_port_base == 0 &&
      options_.vpcd_mode == vpcd::VpcdBridgeOptions::Mode::kConnect) {
    throw std::invalid_argument("vpcd port base 0 (any free port) needs vpcd listen mode");
  }
  if (options_.vpcd_port_base + options_.vpcd_slots - 1 > 0xFFFF) {
    throw std::invalid_argument("vpcd ports beyond 65535");
  }
  if (!options_.vpcd_netns.empty() &&
      options_.vpcd_mode != vpcd::VpcdBridgeOptions::Mode::kConnect) {
    throw std::invalid_argument("a vpcd network namespace needs vpcd connect mode");
  }
  slots_.reserve(static_cast<std::size_t>(options_.slot_count));
  for (int i = 0; i < options_.slot_count; ++i) {
    SlotEntry& e = slots_.emplace_back();
    e.slot = std::make_shared<slots::CardSlot>(i);
    resets_.add("slot " + std::to_string(i), [&e] {
      if (e.slot->present()) e.slot->remove();
      e.slot->clear_faults();
      e.state_mode = StateMode::kDefault;
      e.inserted.reset();
    });
  }
  // Registered after the slots: by the time it runs, no card holds a store.
  if (options_.card_state_dir) {
    card_state_.emplace(*options_.card_state_dir);
    resets_.add("card state " + card_state_->path().string(), [this] { card_state_->clear(); });
  }
  online_ = std::make_unique<OnlineBackend>(
      OnlineOptions{options_.personas_dir, options_.pki_dir, options_.online_state,
                    options_.geo_table, options_.trusted_proxies, options_.start_time,
                    online::NotificationOptions{options_.refuse_late_notifications}});
  online_->register_resets(resets_);
  online_->residents().set_certificate_states(&certificates_);
  resets_.add("certificate states", [this] {
    certificates_.clear();
    online_->trust_anchors().DropAddedCrls();
  });
  for (int i = 0; i < options_.vpcd_slots; ++i) {
    vpcd::VpcdBridgeOptions bridge_options;
    bridge_options.mode = options_.vpcd_mode;
    bridge_options.network_namespace = options_.vpcd_netns;
    bridge_options.port = options_.vpcd_port_base == 0
                              ? std::uint16_t{0}
                              : static_cast<std::uint16_t>(options_.vpcd_port_base + i);
    SlotEntry& e = slots_[static_cast<std::size_t>(i)];
    e.bridge = std::make_unique<vpcd::VpcdBridge>(e.slot, bridge_options);
    e.bridge->start();
  }
}

Environment::~Environment() {
  for (auto& e : slots_) {
    if (e.bridge) e.bridge->stop();
  }
}

Environment::SlotEntry& Environment::entry(int index) {
  return const_cast<SlotEntry&>(std::as_const(*this).entry(index));
}

const Environment::SlotEntry& Environment::entry(int index) const {
  if (index < 0 || index >= slot_count()) {
    throw ControlError(
        ControlError::Kind::kInvalidArgument, "SLOT_OUT_OF_RANGE",
        "slot " + std::to_string(index) + " does not exist (the emulator has " +
            std::to_string(slot_count()) + ")",
        {{"slot", std::to_string(index)}, {"slot_count", std::to_string(slot_count())}},
        {FieldViolation{"slot", "must be in [0, " + std::to_string(slot_count()) + ")"}});
  }
  return slots_[static_cast<std::size_t>(index)];
}

slots::CardSlot& Environment::slot(int index) const { return *entry(index).slot; }

SlotInfo Environment::info_locked(const SlotEntry& e) const {
  SlotInfo info;
  info.index = e.slot->index();
  info.persona_id = e.slot->persona_id();
  if (info.persona_id) info.state_mode = e.state_mode;
  if (e.bridge) info.vpcd_port = e.bridge->port();
  return info;
}

SlotInfo Environment::slot_info(int index) const {
  const std::lock_guard lock(mutex_);
  return info_locked(entry(index));
}

std::vector<SlotInfo> Environment::list_slots() const {
  const std::lock_guard lock(mutex_);
  std::vector<SlotInfo> infos;
  for (const auto& e : slots_) infos.push_back(info_locked(e));
  return infos;
}

std::shared_ptr<card::CardStateStore> Environment::open_store(const std::string& persona_id,
                                                              StateMode mode) const {
  if (mode == StateMode::kFresh) return std::make_shared<card::MemoryCardStateStore>();
  if (!card_state_) {
    throw ControlError(ControlError::Kind::kFailedPrecondition, "NO_CARD_STATE_DIR",
                       "persistent card state needs the emulator to run with --card-state");
  }
  try {
    return card_state_->open(persona_id);
  } catch (const std::exception& e) {
    throw ControlError(ControlError::Kind::kFailedPrecondition, "CARD_STATE_UNAVAILABLE",
                       "card state of '" + persona_id + "' does not load: " + e.what(),
                       {{"persona_id", persona_id}});
  }
}

SlotInfo Environment::insert_card(const InsertCardArgs& args) {
  const std::lock_guard lock(mutex_);
  SlotEntry& e = entry(args.slot);
  for (const auto& [pin, tries] : args.pin_tries) {
    const int max = card::pin_policy(pin).max_tries;
    if (tries < 0 || tries > max) {
      throw invalid_field("INVALID_PIN_OVERRIDE", "pin_tries." + pin_name(pin),
                          "tries_left must be in [0, " + std::to_string(max) + "]");
    }
  }
  if (e.slot->present() && !args.replace) {
    throw ControlError(ControlError::Kind::kFailedPrecondition, "SLOT_OCCUPIED",
                       "slot " + std::to_string(args.slot) + " already holds the card of '" +
                           e.slot->persona_id().value_or("") + "'",
                       {{"slot", std::to_string(args.slot)}});
  }
  StateMode mode = args.state_mode;
  if (mode == StateMode::kDefault) mode = card_state_ ? StateMode::kPersistent : StateMode::kFresh;
  if (mode == StateMode::kPersistent) {
    for (const auto& other : slots_) {
      // One person, one physical card: the card with the persistent state
      // cannot sit in two readers. Fresh copies share nothing, so they may.
      if (&other == &e || other.state_mode != StateMode::kPersistent ||
          other.slot->persona_id() != args.persona_id) {
        continue;
      }
      throw ControlError(
          ControlError::Kind::kFailedPrecondition, "PERSONA_CARD_IN_USE",
          "the card of '" + args.persona_id + "' is already in slot " +
              std::to_string(other.slot->index()),
          {{"persona_id", args.persona_id}, {"slot", std::to_string(other.slot->index())}});
    }
  }

  PersonaCard persona_card = personas_.load(args.persona_id);
  auto store = open_store(args.persona_id, mode);
  // The persona's starting counters count only for a card state never used.
  for (card::PinId pin : kAllPins) {
    const auto tries = initial_tries(persona_card.initial_tries, pin);
    if (tries && !store->load(pin)) set_tries(*store, pin, *tries);
  }
  for (const auto& [pin, tries] : args.pin_tries) set_tries(*store, pin, tries);

  Inserted inserted{std::move(store), args.options, args.certificates};
  auto new_card = make_card(args.persona_id, std::move(persona_card), args.slot, inserted);
  if (args.replace) {
    e.slot->replace(std::move(new_card), args.persona_id);
  } else {
    e.slot->insert(std::move(new_card), args.persona_id);
  }
  e.state_mode = mode;
  e.inserted = std::move(inserted);
  return info_locked(e);
}

std::shared_ptr<card::Card> Environment::make_card(const std::string& persona_id,
                                                   PersonaCard persona_card, int slot,
                                                   const Inserted& inserted) const {
  card::CardProfile& profile = persona_card.profile;
  apply(inserted.options, profile.options);
  certificates_.apply(persona_id, profile);
  if (inserted.certificates.auth) profile.auth_certificate_der = *inserted.certificates.auth;
  if (inserted.certificates.sign) profile.sign_certificate_der = *inserted.certificates.sign;
  // Each slot gets its own stream, so a test's challenges do not depend on
  // what other slots did.
  auto random = std::make_shared<card::SeededRandomSource>(options_.random_seed * 1000003u +
                                                           static_cast<std::uint64_t>(slot));
  return std::make_shared<card::Card>(std::move(profile), inserted.store, std::move(random));
}

std::optional<ReissuedCertificate> Environment::set_certificate_state(const std::string& persona_id,
                                                                      CertificateKind kind,
                                                                      CertificateState state) {
  const std::lock_guard lock(mutex_);
  const PersonaCard issued = personas_.load(persona_id);  // validates the id
  if (kind == CertificateKind::kSign && !issued.profile.sign_certificate_der) {
    throw ControlError(ControlError::Kind::kFailedPrecondition, "CERTIFICATE_NOT_ISSUED",
                       "the card of '" + persona_id + "' has no signature certificate",
                       {{"persona_id", persona_id}});
  }
  auto reissued = certificates_.set(persona_id, kind, state, online_->clock().Now());
  if (reissued && reissued->crl) {
    if (auto refused = online_->trust_anchors().AddCrl(*reissued->crl)) {
      throw std::runtime_error("the re-issued CRL is refused: " + refused->message);
    }
  }
  for (SlotEntry& e : slots_) {
    if (e.slot->persona_id() != persona_id || !e.inserted) continue;
    e.slot->replace(make_card(persona_id, personas_.load(persona_id), e.slot->index(), *e.inserted),
                    persona_id);
  }
  return reissued;
}

void Environment::remove_card(int slot) {
  const std::lock_guard lock(mutex_);
  SlotEntry& e = entry(slot);
  if (!e.slot->present()) {
    throw slot_empty(slot);
  }
  e.slot->remove();
  e.state_mode = StateMode::kDefault;
  e.inserted.reset();
}

void Environment::reset_card(int slot) {
  const std::lock_guard lock(mutex_);
  SlotEntry& e = entry(slot);
  if (!e.slot->present()) {
    throw slot_empty(slot);
  }
  e.slot->reset();
}

std::vector<PinInfo> Environment::pin_status(int slot) const {
  const std::lock_guard lock(mutex_);
  const SlotEntry& e = entry(slot);
  const auto card = e.slot->card();
  if (!card) {
    throw slot_empty(slot);
  }
  std::vector<PinInfo> pins;
  for (card::PinId pin : kAllPins) pins.push_back(PinInfo{pin, card->pin_status(pin)});
  return pins;
}

std::vector<std::string> Environment::reset() {
  const std::lock_guard lock(mutex_);
  return resets_.reset_all();
}

}  // namespace zairyu::server
