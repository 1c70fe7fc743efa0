#include "emulator/server/online_backend.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include <array>
#include <stdexcept>
#include <utility>

#include "emulator/online/certificate_check.h"
#include "emulator/online/memory_store.h"
#include "emulator/online/rule_catalog.h"
#include "emulator/online/signer_check.h"
#include "emulator/persona/pki_directory.h"
#include "emulator/storage/sqlite_store.h"

namespace zairyu::server {
namespace {

using online::ErrorCategory;
using online::Rejection;

// How long a registration or login challenge can be answered (virtual time).
constexpr std::chrono::minutes kChallengeLifetime{5};
constexpr std::size_t kChallengeBytes = 32;
constexpr std::size_t kSessionTokenBytes = 32;

// A refusal of the emulator's own (no rule of the real system behind it).
Rejection emulator_rejection(std::string reason, ErrorCategory category, std::string message,
                             std::string field = {}) {
  Rejection r{std::move(reason), "", category, std::move(message), {}};
  if (!field.empty()) r.field_violations.push_back({std::move(field), r.message});
  return r;
}

Rejection login_failed() {
  return online::Reject("RAS-USER-011", "LOGIN_FAILED", ErrorCategory::kUnauthenticated,
                        "the ID, the password or the card does not match");
}

// Lower-case hex without separators.
std::string hex(card::ByteView bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const std::uint8_t b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0x0F]);
  }
  return out;
}

card::Bytes random_bytes(std::size_t n) {
  card::Bytes out(n);
  if (RAND_bytes(out.data(), static_cast<int>(n)) != 1) throw std::runtime_error("RAND_bytes");
  return out;
}

std::string sha256_hex(card::ByteView data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), md.data(), &len, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("EVP_Digest");
  }
  return hex(card::ByteView(md.data(), len));
}

card::ByteView view(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// The DER of the certificate's subject name; empty when it does not parse
// (CheckCertificate has refused such a certificate before this is asked).
std::string subject_der(card::ByteView certificate) {
  const unsigned char* p = certificate.data();
  X509* x = d2i_X509(nullptr, &p, static_cast<long>(certificate.size()));
  if (x == nullptr) return {};
  unsigned char* out = nullptr;
  const int len = i2d_X509_NAME(X509_get_subject_name(x), &out);
  std::string subject;
  if (len > 0) subject.assign(reinterpret_cast<const char*>(out), static_cast<std::size_t>(len));
  OPENSSL_free(out);
  X509_free(x);
  return subject;
}

// The 認証ID: "ZL", the category's digit, 10 hex digits of SHA-256 over
// what identifies the user. Stable, so a reset and re-registration give the
// same ID.
std::string derive_user_id(online::UserCategory category, std::string_view identity) {
  const std::string digest = sha256_hex(view(identity));
  return "ZL" + std::to_string(static_cast<int>(category) + 1) + digest.substr(0, 10);
}

std::string card_identity(const CardProof& card) {
  return "card:" + subject_der(card.auth_certificate);
}

std::unique_ptr<online::Store> open_store(const std::string& state) {
  if (state == ":memory:") return std::make_unique<online::MemoryStore>();
  return storage::SqliteStore::Open(state);
}

card::Bytes read_file(const std::filesystem::path& path) {
  return persona::PkiDirectory::read_bytes(path);
}

}  // namespace

OnlineBackend::OnlineBackend(OnlineOptions options)
    : options_(std::move(options)),
      clock_(options_.start_time),
      store_(open_store(options_.state)),
      accounts_(clock_, *store_, nullptr, rules_),
      applications_(clock_, *store_, {}, rules_),
      notifications_(clock_, *store_, options_.notifications),
      residents_(options_.personas_dir, options_.pki_dir) {
  const persona::PkiDirectory pki(options_.pki_dir);
  const card::Bytes auth_ca = read_file(pki.auth_ca_certificate());
  const card::Bytes sign_ca = read_file(pki.sign_ca_certificate());
  const card::Bytes auth_crl = read_file(pki.auth_crl());
  const card::Bytes sign_crl = read_file(pki.sign_crl());
  auto anchors = online::TrustAnchors::Parse({auth_ca, sign_ca}, {auth_crl, sign_crl});
  if (!anchors.ok()) throw std::invalid_argument("test PKI: " + anchors.rejection().message);
  anchors_ = std::move(anchors).value();
  residents_.load();
  auto geo = online::ParseGeoTable(options_.geo_table);
  if (!geo.ok()) throw std::invalid_argument("geo table: " + geo.rejection().message);
  geo_ = std::move(geo).value();
  proxies_ = options_.trusted_proxies;
  rebuild_policy_locked();
}

OnlineBackend::~OnlineBackend() = default;

void OnlineBackend::register_resets(ResetRegistry& registry) {
  registry.add("online store", [this] { store_->Reset(); });
  registry.add("online clock", [this] { clock_.Reset(); });
  registry.add("online rule set", [this] { rules_.SetRuleSetDate(std::nullopt); });
  registry.add("online access policy", [this] {
    const std::lock_guard lock(policy_mu_);
    geo_ = online::ParseGeoTable(options_.geo_table).value();
    proxies_ = options_.trusted_proxies;
    rebuild_policy_locked();
  });
  registry.add("online sessions", [this] {
    const std::lock_guard lock(state_mu_);
    challenges_.clear();
    sessions_.clear();
    staff_organization_.clear();
    organizations_.clear();
  });
  registry.add("online faults", [this] { faults_.clear(); });
  registry.add("resident registry", [this] { residents_.load(); });
}

online::Result<online::AccessOrigin> OnlineBackend::check_access(
    std::string_view peer, std::string_view forwarded_for) const {
  std::shared_ptr<const online::AccessPolicy> policy;
  {
    const std::lock_guard lock(policy_mu_);
    policy = policy_;
  }
  return policy->Check(peer, forwarded_for);
}

IssuedChallenge OnlineBackend::new_challenge(ChallengePurpose purpose) {
  IssuedChallenge issued{random_bytes(kChallengeBytes), clock_.Now() + kChallengeLifetime};
  const std::lock_guard lock(state_mu_);
  // Drops expired ones, so unanswered challenges cannot pile up.
  const online::Instant now = clock_.Now();
  std::erase_if(challenges_, [now](const auto& entry) { return entry.second.expires_at < now; });
  challenges_[issued.bytes] = ChallengeEntry{purpose, issued.expires_at};
  return issued;
}

online::Check OnlineBackend::take_challenge(const card::Bytes& challenge,
                                            ChallengePurpose purpose) {
  const std::lock_guard lock(state_mu_);
  const auto it = challenges_.find(challenge);
  const bool usable = it != challenges_.end() && it->second.purpose == purpose &&
                      it->second.expires_at >= clock_.Now();
  if (it != challenges_.end()) challenges_.erase(it);  // single use, also when refused
  if (!usable) {
    return emulator_rejection("CHALLENGE_INVALID", ErrorCategory::kUnauthenticated,
                              "the challenge is unknown, used, expired or for another purpose");
  }
  return std::nullopt;
}

online::Check OnlineBackend::verify_card(const CardProof& card, ChallengePurpose purpose) {
  if (online::Check c = take_challenge(card.challenge, purpose)) return c;
  if (online::Check c =
          online::CheckCertificate(*anchors_, card.auth_certificate,
                                   online::CertificateUse::kAuthentication, clock_.Now())) {
    return c;
  }
  return online::VerifySignature(*anchors_, card.auth_certificate, card.challenge, card.signature);
}

online::Result<std::string> OnlineBackend::register_user(const RegistrationArgs& args) {
  if (args.email.empty()) {
    return emulator_rejection("REQUEST_INVALID", ErrorCategory::kInvalidArgument,
                              "an e-mail address is required", "email");
  }
  online::UserCredentials credentials;
  credentials.category = args.category;
  std::string identity;
  if (online::IsIndividual(args.category)) {
    // Without a card the core refuses with MY_NUMBER_CARD_REQUIRED.
    if (args.card) {
      if (online::Check c = verify_card(*args.card, ChallengePurpose::kRegistration)) return *c;
      credentials.card_has_auth_cert = true;
      identity = card_identity(*args.card);
      if (const auto resident = residents_.by_auth_certificate(args.card->auth_certificate)) {
        credentials.card_has_signature_cert = resident->has_signature_certificate;
        credentials.filer_is_mid_long_term_resident = true;
        credentials.has_residence_card =
            args.residence_card_number == resident->persona.residence_card_number;
      } else {
        // Not a registered resident (e.g. a Japanese relative): the card is
        // taken as complete, and a residence card only if one is named.
        credentials.card_has_signature_cert = true;
        credentials.filer_is_mid_long_term_resident = !args.residence_card_number.empty();
        credentials.has_residence_card = !args.residence_card_number.empty();
      }
    }
  } else if (args.category == online::UserCategory::kLawyerOrScrivener) {
    credentials.has_notification_certificate = !args.notification_certificate_number.empty();
    identity = "notification:" + args.notification_certificate_number;
  } else {
    {
      const std::lock_guard lock(state_mu_);
      const auto it = organizations_.find(args.organization_id);
      if (it != organizations_.end()) credentials.approval = it->second;
    }
    credentials.requested_by_organization = args.requested_by_organization;
    identity = "organization:" + args.organization_id + "\n" + args.email;
  }
  const std::string user_id = derive_user_id(args.category, identity);
  auto account = accounts_.Register({user_id, args.email, args.password, credentials});
  if (!account.ok()) return account.rejection();
  if (online::NeedsOrganizationApproval(args.category)) {
    const std::lock_guard lock(state_mu_);
    staff_organization_[user_id] = args.organization_id;
  }
  return user_id;
}

online::Result<Session> OnlineBackend::login(const LoginArgs& args) {
  auto account = accounts_.Login(args.user_id, args.password);
  if (!account.ok()) return account.rejection();
  const online::UserCategory category = account.value().credentials.category;
  if (online::IsIndividual(category)) {
    if (!args.card) {
      return online::Reject("RAS-USER-001", "MY_NUMBER_CARD_REQUIRED",
                            ErrorCategory::kFailedPrecondition,
                            "this category logs in with the My Number Card");
    }
    if (online::Check c = verify_card(*args.card, ChallengePurpose::kLogin)) return *c;
    if (derive_user_id(category, card_identity(*args.card)) != args.user_id) {
      return login_failed();
    }
  } else if (category == online::UserCategory::kLawyerOrScrivener &&
             derive_user_id(category, "notification:" + args.notification_certificate_number) !=
                 args.user_id) {
    return login_failed();
  }
  Session session{hex(random_bytes(kSessionTokenBytes)), std::move(account).value(),
                  args.card ? card_holder(args.card->auth_certificate) : std::string()};
  const std::lock_guard lock(state_mu_);
  sessions_[session.token] = SessionEntry{args.user_id, session.card_holder};
  return session;
}

online::Check OnlineBackend::change_password(std::string_view user_id,
                                             std::string_view old_password,
                                             std::string_view new_password) {
  return accounts_.ChangePassword(user_id, old_password, new_password);
}

online::Result<Session> OnlineBackend::session(std::string_view token) const {
  const Rejection invalid =
      emulator_rejection("SESSION_INVALID", ErrorCategory::kUnauthenticated,
                         "no session: log in and send the metadata 'x-zairyu-session'");
  SessionEntry entry;
  {
    const std::lock_guard lock(state_mu_);
    const auto it = sessions_.find(token);
    if (it == sessions_.end()) return invalid;
    entry = it->second;
  }
  auto account = store_->GetAccount(entry.user_id);
  if (!account) return invalid;
  return Session{std::string(token), std::move(*account), std::move(entry.card_holder)};
}

void OnlineBackend::end_session(std::string_view token) {
  const std::lock_guard lock(state_mu_);
  if (const auto it = sessions_.find(token); it != sessions_.end()) sessions_.erase(it);
}

online::Result<online::SubmitResult> OnlineBackend::submit(const Session& session,
                                                           SubmitArgs args) {
  if (online::Check c =
          online::CheckCertificate(*anchors_, args.signature_certificate,
                                   online::CertificateUse::kSignature, clock_.Now())) {
    return *c;
  }
  if (online::Check c = online::VerifySignature(*anchors_, args.signature_certificate,
                                                args.signed_bytes, args.signature)) {
    return *c;
  }
  if (online::Check c = check_signer(session, args.signature_certificate)) return *c;
  args.request.user_id = session.account.user_id;
  args.request.user_email = session.account.email;
  args.request.application.filer.category = session.account.credentials.category;
  args.request.idempotency =
      online::IdempotencyKey{std::move(args.idempotency_key), sha256_hex(args.signed_bytes)};
  const std::shared_lock filing(filing_mu_);
  return applications_.Submit(args.request);
}

std::string OnlineBackend::card_holder(card::ByteView auth_certificate) const {
  const auto resident = residents_.by_auth_certificate(auth_certificate);
  return resident ? resident->persona.id : std::string();
}

// RAS-CERT-007 for the card categories. The resident registry links both
// certificates of a card to its persona; a card it does not know links to
// no one (a Japanese relative's card, say).
online::Check OnlineBackend::check_signer(const Session& session,
                                          card::ByteView signature_certificate) const {
  if (!online::IsIndividual(session.account.credentials.category)) return std::nullopt;
  return online::CheckSigner(
      session.card_holder,
      residents_.holder_of_signature_certificate(signature_certificate).value_or(""));
}

online::Result<online::NotificationRecord> OnlineBackend::submit_notification(
    const Session& session, online::NotificationRequest request) {
  return notifications_.Submit({session.account.user_id, session.account.email,
                                session.account.credentials.category, std::move(request)});
}

std::vector<online::NotificationRecord> OnlineBackend::list_notifications(
    const Session& session) const {
  return notifications_.List(session.account.user_id);
}

online::Result<online::Instant> OnlineBackend::request_password_reset(std::string_view user_id,
                                                                      std::string_view email) {
  return accounts_.RequestPasswordReset(user_id, email);
}

online::Check OnlineBackend::complete_password_reset(std::string_view user_id,
                                                     std::string_view code,
                                                     std::string_view new_password) {
  return accounts_.CompletePasswordReset(user_id, code, new_password);
}

std::optional<online::Account> OnlineBackend::account(std::string_view user_id) const {
  return store_->GetAccount(user_id);
}

SnapshotSummary OnlineBackend::summary(const std::string& name, const Snapshot& s) {
  return {name,
          s.clock.now,
          s.store.content.accounts.size(),
          s.store.content.applications.size(),
          s.store.content.notifications.size(),
          s.store.content.outbox.size()};
}

SnapshotSummary OnlineBackend::save_snapshot(const std::string& name) {
  Snapshot s;
  {
    const std::lock_guard filing(filing_mu_);
    const std::lock_guard state_lock(state_mu_);
    const std::lock_guard policy_lock(policy_mu_);
    s.store = store_->Snapshot();
    s.clock = clock_.state();
    s.rule_set_date = rules_.rule_set_date();
    s.challenges = challenges_;
    s.sessions = sessions_;
    s.staff_organization = staff_organization_;
    s.organizations = organizations_;
    s.geo = geo_;
    s.proxies = proxies_;
  }
  SnapshotSummary out = summary(name, s);
  const std::lock_guard lock(snapshots_mu_);
  snapshots_.insert_or_assign(name, std::move(s));
  return out;
}

std::optional<SnapshotSummary> OnlineBackend::restore_snapshot(const std::string& name) {
  const std::lock_guard snapshots_lock(snapshots_mu_);
  const auto it = snapshots_.find(name);
  if (it == snapshots_.end()) return std::nullopt;
  const Snapshot& s = it->second;
  const std::lock_guard filing(filing_mu_);
  const std::lock_guard state_lock(state_mu_);
  const std::lock_guard policy_lock(policy_mu_);
  store_->Restore(s.store);
  clock_.restore(s.clock);
  rules_.SetRuleSetDate(s.rule_set_date);
  challenges_ = s.challenges;
  sessions_ = s.sessions;
  staff_organization_ = s.staff_organization;
  organizations_ = s.organizations;
  geo_ = s.geo;
  proxies_ = s.proxies;
  rebuild_policy_locked();
  return summary(name, s);
}

std::vector<SnapshotSummary> OnlineBackend::list_snapshots() const {
  const std::lock_guard lock(snapshots_mu_);
  std::vector<SnapshotSummary> out;
  for (const auto& [name, s] : snapshots_) out.push_back(summary(name, s));
  return out;
}

bool OnlineBackend::delete_snapshot(const std::string& name) {
  const std::lock_guard lock(snapshots_mu_);
  return snapshots_.erase(name) > 0;
}

online::Check OnlineBackend::set_geo_table(std::string_view text) {
  auto geo = online::ParseGeoTable(text);
  if (!geo.ok()) return geo.rejection();
  const std::lock_guard lock(policy_mu_);
  geo_ = std::move(geo).value();
  rebuild_policy_locked();
  return std::nullopt;
}

void OnlineBackend::set_geo_entry(const online::Cidr& prefix, std::string country) {
  const std::lock_guard lock(policy_mu_);
  geo_.Set(prefix, std::move(country));
  rebuild_policy_locked();
}

bool OnlineBackend::remove_geo_entry(const online::Cidr& prefix) {
  const std::lock_guard lock(policy_mu_);
  if (!geo_.Remove(prefix)) return false;
  rebuild_policy_locked();
  return true;
}

std::vector<online::GeoTable::Entry> OnlineBackend::geo_entries() const {
  const std::lock_guard lock(policy_mu_);
  return geo_.entries();
}

void OnlineBackend::set_trusted_proxies(std::vector<online::Cidr> proxies) {
  const std::lock_guard lock(policy_mu_);
  proxies_ = std::move(proxies);
  rebuild_policy_locked();
}

void OnlineBackend::rebuild_policy_locked() {
  policy_ = std::make_shared<const online::AccessPolicy>(geo_, proxies_);
}

int OnlineBackend::set_organization_approval(const std::string& organization_id,
                                             const online::OrganizationApproval& approval) {
  std::vector<std::string> staff;
  {
    const std::lock_guard lock(state_mu_);
    organizations_[organization_id] = approval;
    for (const auto& [user_id, organization] : staff_organization_) {
      if (organization == organization_id) staff.push_back(user_id);
    }
  }
  int updated = 0;
  for (const std::string& user_id : staff) {
    if (!accounts_.SetApproval(user_id, approval)) ++updated;
  }
  return updated;
}

void OnlineBackend::process_due() {
  applications_.ProcessDue();
  accounts_.ProcessDue();
}

}  // namespace zairyu::server
