// OnlineBackend: the emulated online system as the gRPC handlers see it. It
// owns the virtual clock, the store, the rules core's services, the access
// policy (geo table + trusted proxies), the test-PKI trust anchors, the
// resident registry, and the emulator-only state around them (challenges,
// sessions, idempotency keys, organization approvals, faults). It strings the
// core's checks together in the order the real system applies them; it never
// sees gRPC (refusals are online::Rejection). Thread-safe.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "emulator/card/bytes.h"
#include "emulator/online/access_policy.h"
#include "emulator/online/account_service.h"
#include "emulator/online/application_service.h"
#include "emulator/online/certificate_check.h"
#include "emulator/online/notification_service.h"
#include "emulator/online/rule_calendar.h"
#include "emulator/online/store.h"
#include "emulator/server/online_faults.h"
#include "emulator/server/reset_registry.h"
#include "emulator/server/resident_registry.h"
#include "emulator/server/steerable_clock.h"

namespace zairyu::server {

struct OnlineOptions {
  std::filesystem::path personas_dir;
  std::filesystem::path pki_dir;
  // ":memory:" (MemoryStore) or the path of the SQLite state file.
  std::string state = ":memory:";
  // Geo table text (geo_table.h format); the table Reset goes back to.
  std::string geo_table;
  std::vector<online::Cidr> trusted_proxies;
  online::Instant start_time;
  // Whether a late 届出 is refused (ENS-DATE-001; default: accepted, marked).
  online::NotificationOptions notifications;
};

// Proof of a My Number Card: a challenge signed with the auth key.
struct CardProof {
  card::Bytes challenge;
  card::Bytes signature;
  card::Bytes auth_certificate;  // DER
};

struct RegistrationArgs {
  online::UserCategory category = online::UserCategory::kForeignNational;
  std::string email;
  std::string password;
  std::optional<CardProof> card;
  std::string residence_card_number;
  std::string notification_certificate_number;
  std::string organization_id;
  bool requested_by_organization = false;
};

struct LoginArgs {
  std::string user_id;
  std::string password;
  std::optional<CardProof> card;
  std::string notification_certificate_number;
};

// A logged-in user.
struct Session {
  std::string token;
  online::Account account;
  // The resident registry's persona whose card logged in; empty for a card
  // the registry does not know and for the categories without a card.
  std::string card_holder;
};

// A signed submission, already converted from the request. The spans point
// into the request, which outlives the call.
struct SubmitArgs {
  std::string idempotency_key;
  card::ByteView signed_bytes;
  card::ByteView signature;
  card::ByteView signature_certificate;
  online::SubmitRequest request;  // user fields are filled in from the session
};

struct IssuedChallenge {
  card::Bytes bytes;
  online::Instant expires_at;
};

// What SaveSnapshot reports.
struct SnapshotSummary {
  std::string name;
  online::Instant virtual_time;
  std::size_t accounts = 0;
  std::size_t applications = 0;
  std::size_t notifications = 0;
  std::size_t outbox_items = 0;
};

class OnlineBackend {
 public:
  // Throws std::exception when the PKI, the personas, the geo table or the
  // state file cannot be used.
  explicit OnlineBackend(OnlineOptions options);
  ~OnlineBackend();

  // Registers every stateful component's reset (no hand-kept list elsewhere).
  void register_resets(ResetRegistry& registry);

  SteerableClock& clock() { return clock_; }
  // Which day's rule set applies (the virtual date unless pinned).
  online::RuleCalendar& rules() { return rules_; }
  // The test-PKI trust anchors the card checks use (CRLs can be added).
  online::TrustAnchors& trust_anchors() { return *anchors_; }
  const online::Store& store() const { return *store_; }
  online::ApplicationService& applications() { return applications_; }
  OnlineFaults& faults() { return faults_; }
  ResidentRegistry& residents() { return residents_; }

  // RAS-ACC-001/002 for the transport peer and its X-Forwarded-For.
  online::Result<online::AccessOrigin> check_access(std::string_view peer,
                                                    std::string_view forwarded_for) const;

  enum class ChallengePurpose { kRegistration, kLogin };
  IssuedChallenge new_challenge(ChallengePurpose purpose);
  // Returns the issued 認証ID.
  online::Result<std::string> register_user(const RegistrationArgs& args);
  online::Result<Session> login(const LoginArgs& args);
  // AccountService::ChangePassword (needs the current password).
  online::Check change_password(std::string_view user_id, std::string_view old_password,
                                std::string_view new_password);
  // The session of `token`, with the account as stored now.
  online::Result<Session> session(std::string_view token) const;
  // Ends the session (no-op for an unknown token).
  void end_session(std::string_view token);
  online::Result<online::SubmitResult> submit(const Session& session, SubmitArgs args);
  // The e-notification system, for the session's user.
  online::Result<online::NotificationRecord> submit_notification(
      const Session& session, online::NotificationRequest request);
  std::vector<online::NotificationRecord> list_notifications(const Session& session) const;
  // RAS-USER-012; returns until when the mailed code works.
  online::Result<online::Instant> request_password_reset(std::string_view user_id,
                                                         std::string_view email);
  online::Check complete_password_reset(std::string_view user_id, std::string_view code,
                                        std::string_view new_password);
  // The account as stored (for the reset's answer).
  std::optional<online::Account> account(std::string_view user_id) const;

  // Snapshots by name (control plane): the store with its counters, the
  // clock, the rule-set date, and the emulator-only state (challenges, sessions,
  // organizations, geo table, trusted proxies). Kept across Reset.
  SnapshotSummary save_snapshot(const std::string& name);
  // nullopt for an unknown name.
  std::optional<SnapshotSummary> restore_snapshot(const std::string& name);
  std::vector<SnapshotSummary> list_snapshots() const;
  bool delete_snapshot(const std::string& name);

  // Control plane. Geo-table and proxy changes replace the access policy.
  online::Check set_geo_table(std::string_view text);
  void set_geo_entry(const online::Cidr& prefix, std::string country);
  bool remove_geo_entry(const online::Cidr& prefix);
  std::vector<online::GeoTable::Entry> geo_entries() const;
  void set_trusted_proxies(std::vector<online::Cidr> proxies);
  // Sets an organization's approval; updates its registered staff. Returns
  // how many accounts were updated.
  int set_organization_approval(const std::string& organization_id,
                                const online::OrganizationApproval& approval);
  // Issues what fell due on the clock (receipt numbers, reminder mails).
  void process_due();

 private:
  struct ChallengeEntry {
    ChallengePurpose purpose;
    online::Instant expires_at;
  };
  struct SessionEntry {
    std::string user_id;
    std::string card_holder;
  };
  struct Snapshot {
    online::StoreSnapshot store;
    SteerableClock::State clock;
    std::optional<online::Date> rule_set_date;
    std::map<card::Bytes, ChallengeEntry> challenges;
    std::map<std::string, SessionEntry, std::less<>> sessions;
    std::map<std::string, std::string> staff_organization;
    std::map<std::string, online::OrganizationApproval> organizations;
    online::GeoTable geo;
    std::vector<online::Cidr> proxies;
  };
  static SnapshotSummary summary(const std::string& name, const Snapshot& s);

  online::Check verify_card(const CardProof& card, ChallengePurpose purpose);
  // RAS-CERT-007: the signer is the card holder who logged in.
  online::Check check_signer(const Session& session, card::ByteView signature_certificate) const;
  // The registry's persona holding the card of `auth_certificate`, or "".
  std::string card_holder(card::ByteView auth_certificate) const;
  online::Check take_challenge(const card::Bytes& challenge, ChallengePurpose purpose);
  void rebuild_policy_locked();

  const OnlineOptions options_;
  SteerableClock clock_;
  online::RuleCalendar rules_;
  std::unique_ptr<online::Store> store_;
  online::AccountService accounts_;
  online::ApplicationService applications_;
  online::NotificationService notifications_;
  ResidentRegistry residents_;
  OnlineFaults faults_;
  // The auth and sign CA certificates and their CRLs, parsed once.
  std::optional<online::TrustAnchors> anchors_;

  mutable std::mutex policy_mu_;
  online::GeoTable geo_;
  std::vector<online::Cidr> proxies_;
  std::shared_ptr<const online::AccessPolicy> policy_;

  mutable std::mutex state_mu_;  // guards the four maps below
  std::map<card::Bytes, ChallengeEntry> challenges_;
  std::map<std::string, SessionEntry, std::less<>> sessions_;  // by token
  std::map<std::string, std::string> staff_organization_;      // user ID → organization
  std::map<std::string, online::OrganizationApproval> organizations_;
  // Filings hold it shared (they run side by side and share the store's
  // commits); snapshot and restore hold it exclusively, so no filing is half
  // done meanwhile.
  std::shared_mutex filing_mu_;

  mutable std::mutex snapshots_mu_;
  std::map<std::string, Snapshot> snapshots_;
};

}  // namespace zairyu::server
