// Environment: the one owner of the emulator's state. It owns the card slots,
// the persona and PKI directories, the card state directory, the vpcd
// bridges and the online system (OnlineBackend: clock, store, geo table,
// resident registry), and resets all of them through one ResetRegistry. The gRPC services
// are thin adapters over it; it never sees gRPC (errors are ControlError).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "emulator/card/card.h"
#include "emulator/card/card_state_store.h"
#include "emulator/online/clock.h"
#include "emulator/online/ip_address.h"
#include "emulator/online/jst.h"
#include "emulator/server/card_state_directory.h"
#include "emulator/server/certificate_states.h"
#include "emulator/server/online_backend.h"
#include "emulator/server/persona_cards.h"
#include "emulator/server/reset_registry.h"
#include "emulator/slots/card_slot.h"
#include "emulator/vpcd/vpcd_bridge.h"

namespace zairyu::server {

// Where an inserted card keeps its PIN counters and blocked flags.
enum class StateMode {
  kDefault,     // kPersistent when there is a card state directory, else kFresh
  kFresh,       // as issued, in memory, gone after removal
  kPersistent,  // the persona's file in the card state directory
};

// Card behaviour toggles for one insertion; unset keeps the persona's choice.
struct CardOptionOverrides {
  std::optional<bool> empty_verify_after_success_answers_9000;
  std::optional<bool> clear_security_on_df_change;
  std::optional<bool> extended_length;
  std::optional<bool> eof_answers_6282;
};

// Certificates (DER) a card holds instead of its persona's.
struct CertificateOverrides {
  std::optional<card::Bytes> auth;
  std::optional<card::Bytes> sign;
};

// Everything InsertCard needs, already converted from the request.
struct InsertCardArgs {
  int slot = 0;
  std::string persona_id;
  std::map<card::PinId, int> pin_tries;  // tries left to set, per PIN
  CardOptionOverrides options;
  StateMode state_mode = StateMode::kDefault;
  // An occupied slot gets the new card in place of the old one, the reader
  // never seeing it empty (CardSlot::replace); an empty slot is filled.
  bool replace = false;
  CertificateOverrides certificates;
};

// A snapshot of one slot.
struct SlotInfo {
  int index = 0;
  std::optional<std::string> persona_id;       // set when a card is inserted
  StateMode state_mode = StateMode::kDefault;  // kFresh/kPersistent when inserted
  std::optional<std::uint16_t> vpcd_port;      // set when served through vpcd
};

// One PIN's counter as GetPinStatus reports it.
struct PinInfo {
  card::PinId pin;
  card::Card::PinStatus status;
};

// Construction options; the zairyu-emulator flags map onto these.
struct EnvironmentOptions {
  std::filesystem::path personas_dir;  // <persona id>.yaml files
  std::filesystem::path pki_dir;       // the test PKI tools/pki generated
  // One state file per persona card; unset = every card is fresh.
  std::optional<std::filesystem::path> card_state_dir;
  int slot_count = 1;
  // Serve slots 0..vpcd_slots-1 through vpcd on 127.0.0.1:vpcd_port_base +
  // index (must be <= slot_count; 0 = no vpcd). In listen mode a base of 0
  // lets every slot take a free port (ListSlots reports them).
  int vpcd_slots = 0;
  std::uint16_t vpcd_port_base = 35963;  // vpcd's default port (0x8C7B)
  vpcd::VpcdBridgeOptions::Mode vpcd_mode = vpcd::VpcdBridgeOptions::Mode::kConnect;
  // Network namespace file of an isolated pcscd (tools/pcscd-vpcd netns);
  // empty = this process's namespace. Connect mode only; needs CAP_SYS_ADMIN.
  std::string vpcd_netns{};
  // Seeds each card's GET CHALLENGE randomness (mixed with the slot index).
  std::uint64_t random_seed = 1;
  // The online system's state: ":memory:" or a SQLite file (--state).
  std::string online_state = ":memory:";
  // Geo table text (fixtures/geo/geo.txt format). The default knows only
  // loopback, as Japan, so local clients are in Japan.
  std::string geo_table = "127.0.0.0/8 JP\n::1/128 JP\n";
  // Proxies whose X-Forwarded-For is honoured.
  std::vector<online::Cidr> trusted_proxies{};
  // ENS-DATE-001: refuse a late 届出 instead of accepting it marked late.
  bool refuse_late_notifications = false;
  // The virtual clock's start (and reset) time: 2026-01-01 09:00 JST, the
  // day the personas' dates are seen from.
  online::Instant start_time =
      online::JstTime(std::chrono::year_month_day{std::chrono::year{2026}, std::chrono::January,
                                                  std::chrono::day{1}},
                      9);
};

// Thread-safe. Slot lookups by index throw ControlError SLOT_OUT_OF_RANGE.
class Environment {
 public:
  // Throws std::exception when a directory or a vpcd port is unusable.
  explicit Environment(EnvironmentOptions options);
  ~Environment();
  Environment(const Environment&) = delete;
  Environment& operator=(const Environment&) = delete;

  int slot_count() const { return static_cast<int>(slots_.size()); }
  // The slot itself, for transports and tests (exchange(), log, faults).
  slots::CardSlot& slot(int index) const;
  SlotInfo slot_info(int index) const;
  std::vector<SlotInfo> list_slots() const;

  // Loads the persona's card, applies state mode, PIN overrides and options,
  // and inserts it. A persona's persistent card is one card (in one slot at a
  // time); fresh cards are independent copies, any number in any slots.
  // Errors: SLOT_OUT_OF_RANGE, PERSONA_ID_INVALID, INVALID_PIN_OVERRIDE (invalid argument);
  // PERSONA_NOT_FOUND (not found); SLOT_OCCUPIED, PERSONA_CARD_IN_USE, NO_CARD_STATE_DIR,
  // PERSONA_INVALID, CARD_STATE_UNAVAILABLE (failed precondition).
  SlotInfo insert_card(const InsertCardArgs& args);
  // Errors: SLOT_OUT_OF_RANGE, SLOT_EMPTY.
  void remove_card(int slot);
  void reset_card(int slot);
  std::vector<PinInfo> pin_status(int slot) const;

  // Re-issues the persona's certificate in `state` at the virtual time (see
  // CertificateStates): cards inserted from now on carry it, cards of the
  // persona already in a slot are swapped in place for ones that do (PIN
  // counters kept), and a revocation goes onto the online system's CRLs.
  // kValid goes back to the original certificate (nullopt). Errors:
  // PERSONA_ID_INVALID (invalid argument), PERSONA_NOT_FOUND (not found),
  // PERSONA_INVALID, CERTIFICATE_NOT_ISSUED (failed precondition: a persona
  // whose card has no signature certificate).
  std::optional<ReissuedCertificate> set_certificate_state(const std::string& persona_id,
                                                           CertificateKind kind,
                                                           CertificateState state);

  // Back to the start state: every registered component is reset (cards
  // removed, faults cleared, card state files deleted, the online system's
  // store, clock, geo table, sessions and faults as at start-up). Returns the
  // names of what was reset, in order.
  std::vector<std::string> reset();

  // The online system (thread-safe itself).
  OnlineBackend& online() { return *online_; }

 private:
  // What a card was inserted with.
  struct Inserted {
    std::shared_ptr<card::CardStateStore> store;
    CardOptionOverrides options;
    CertificateOverrides certificates;
  };
  // Per-slot bookkeeping beside the CardSlot.
  struct SlotEntry {
    std::shared_ptr<slots::CardSlot> slot;
    StateMode state_mode = StateMode::kDefault;
    // How the card in the slot was made (a card with a re-issued
    // certificate is made alike); unset when the slot is empty.
    std::optional<Inserted> inserted;
    std::unique_ptr<vpcd::VpcdBridge> bridge;
  };

  SlotEntry& entry(int index);
  const SlotEntry& entry(int index) const;
  SlotInfo info_locked(const SlotEntry& entry) const;
  std::shared_ptr<card::CardStateStore> open_store(const std::string& persona_id,
                                                   StateMode mode) const;
  // The persona's card as issued (with re-issued certificates) for `slot`.
  std::shared_ptr<card::Card> make_card(const std::string& persona_id, PersonaCard persona_card,
                                        int slot, const Inserted& inserted) const;

  const EnvironmentOptions options_;
  PersonaCards personas_;
  CertificateStates certificates_;
  std::optional<CardStateDirectory> card_state_;
  ResetRegistry resets_;
  std::unique_ptr<OnlineBackend> online_;
  // Serializes insert/remove so "persona already in a slot" checks hold.
  mutable std::mutex mutex_;
  std::vector<SlotEntry> slots_;
};

}  // namespace zairyu::server
