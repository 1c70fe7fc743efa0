// OnlineClient: what the applicant's PC does against the online residence
// application system (zairyu.online.v1.OnlineSystem over gRPC). It knows the
// server only through protos/, and the card only through CardSigner, so it
// works the same with a real My Number Card, the virtual card, or a vendor's
// own signer. No gRPC or protobuf type appears in this header.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "zairyu/client/application_form.h"
#include "zairyu/client/bytes.h"
#include "zairyu/client/secret_string.h"

namespace zairyu::client {

// Where the server is and how to talk to it.
struct ServerOptions {
  std::string address;  // "host:port"
  // TLS when set: PEM file of the root(s) that signed the server certificate.
  std::optional<std::string> tls_root_certificates_file;
  // Overrides the name checked against the server certificate (tests).
  std::string tls_server_name;
  // Deadline of every single call.
  std::chrono::milliseconds deadline{10'000};
  // How often a submission is re-sent (same idempotency key, same signed
  // bytes) after UNAVAILABLE, DEADLINE_EXCEEDED or a dropped call (CANCELLED;
  // the client never cancels itself). Other calls are retried
  // only when they change nothing on the server (reads, challenges).
  int retries = 2;
  // Pause before the first retry, doubled for each further one.
  std::chrono::milliseconds retry_backoff{200};
};

// The server refused a call, or could not be reached. `reason()` is the
// google.rpc.ErrorInfo reason ("ACCESS_FROM_OUTSIDE_JAPAN"), empty when the
// server sent none (e.g. UNAVAILABLE); `code_name()` the gRPC code name
// ("PERMISSION_DENIED"). Never contains a password or PIN.
class OnlineError : public std::runtime_error {
 public:
  OnlineError(const std::string& message, std::string code_name, std::string reason,
              std::string rule_id, std::vector<FieldViolation> violations);
  const std::string& code_name() const noexcept { return code_name_; }
  const std::string& reason() const noexcept { return reason_; }
  const std::string& rule_id() const noexcept { return rule_id_; }
  const std::vector<FieldViolation>& violations() const noexcept { return violations_; }

 private:
  std::string code_name_;
  std::string reason_;
  std::string rule_id_;
  std::vector<FieldViolation> violations_;
};

// Signs with one key of a card: RSA PKCS#1 v1.5 over SHA-256 of `message`
// (the card adds the padding to a DigestInfo). JpkiSigner implements it over
// JpkiCard; a vendor may implement it over its own middleware.
class CardSigner {
 public:
  virtual ~CardSigner() = default;
  // The certificate of the key, DER.
  virtual Bytes certificate() = 0;
  // The 256-byte signature. May throw CardError / PinRefusedError.
  virtual Bytes sign(ByteView message) = 0;
};

// The seven kinds of users (online-system.md §1.1), as in online.proto.
enum class UserCategory {
  kOrganizationStaff,
  kLawyerOrScrivener,
  kPublicInterestCorpStaff,
  kRegisteredSupportOrgStaff,
  kForeignNational,
  kLegalRepresentative,
  kRelative,
};
// True for the categories that log in with a My Number Card.
bool needs_card(UserCategory category);
// "foreign_national" <-> kForeignNational; parse also accepts the Japanese
// name ("外国人本人") and throws std::invalid_argument for anything else.
std::string to_string(UserCategory category);
std::string japanese_name(UserCategory category);
UserCategory parse_user_category(const std::string& name);

// What 利用者情報登録 needs; which fields depends on the category.
struct Registration {
  UserCategory category = UserCategory::kForeignNational;
  std::string email;
  SecretString password;
  std::string residence_card_number;
  std::string notification_certificate_number;
  std::string organization_id;
  bool requested_by_organization = false;
};

struct Credentials {
  std::string user_id;
  SecretString password;
  std::string notification_certificate_number;  // lawyers and scriveners
};

// A logged-in session (token kept inside the client).
struct Session {
  std::string user_id;
  UserCategory category = UserCategory::kForeignNational;
  std::string password_valid_until;  // YYYY-MM-DD
};

// Verdict on one attachment.
struct FileVerdict {
  std::string file_name;
  bool accepted = true;
  std::string error;  // "NOT_A_PDF", "PDF_PROTECTED" or empty
  std::string rule_id;
};

struct SubmitResult {
  std::string provisional_number;
  std::vector<FileVerdict> attachments;
  bool replayed = false;  // the server answered an earlier identical submit
  std::string idempotency_key;
};

// An application as its user sees it.
struct ApplicationStatus {
  std::string provisional_number;
  std::string receipt_number;  // empty until issued
  std::string state;           // "PROVISIONAL", "RECEIVED", ... (online.proto)
  std::vector<Procedure> procedures;
  std::string submitted_at;    // RFC 3339, UTC
  std::string receipt_due_at;  // RFC 3339, UTC
  std::vector<FileVerdict> attachments;
  std::string user_id;
};

struct PendingProof {
  std::string receipt_number;
  std::string filed_on;
  std::string stay_expires_on;
  std::string special_period_ends_on;
  bool in_special_period = false;
};

// One e-notification (電子届出).
struct Notification {
  // The kind: the name ("SPOUSE", "CONTRACT_ORGANIZATION") or the Japanese
  // title ("配偶者に関する届出"), as online.proto's NotificationKind.
  std::string kind;
  std::map<std::string, std::string> fields;  // the rest of the form, stored as given
  // What happened: "DIVORCE", "CONTRACT_ENDED", ... (NotificationEvent
  // without its prefix). Throws std::invalid_argument for an unknown one.
  std::string event;
  std::string event_date;                   // YYYY-MM-DD (periodic: the period's last day)
  std::optional<StatusOfResidence> status;  // of the foreigner concerned
  std::string organization_name;
};

// The server's answer to a notification.
struct NotificationReceipt {
  std::string notification_id;  // 届出番号
  std::string deadline;         // YYYY-MM-DD, the last day it was due
  bool late = false;            // accepted, but filed after the deadline
  std::string filed_at;         // RFC 3339, UTC
};

// A filed notification as its user sees it (届出状況参照).
struct NotificationRecord {
  NotificationReceipt receipt;
  std::string kind;   // "CONTRACT_ORGANIZATION"
  std::string event;  // "CONTRACT_ENDED"
  std::string event_date;
  std::string organization_name;
  std::map<std::string, std::string> fields;
};

// Time spent inside gRPC calls since the client was made (for the flow
// benchmark's breakdown).
struct RpcTiming {
  std::uint64_t calls = 0;
  std::chrono::nanoseconds total{0};
};

// The online half of the client engine. Not thread-safe: one per user flow.
class OnlineClient {
 public:
  explicit OnlineClient(ServerOptions options);
  ~OnlineClient();
  OnlineClient(const OnlineClient&) = delete;
  OnlineClient& operator=(const OnlineClient&) = delete;

  // Registers a user; card categories need `auth` (the user-authentication
  // key), which signs a fresh registration challenge. Returns the 認証ID.
  std::string register_user(const Registration& registration, CardSigner* auth);
  // Logs in and keeps the session for the calls below.
  Session login(const Credentials& credentials, CardSigner* auth);
  void change_password(const std::string& user_id, const SecretString& old_password,
                       const SecretString& new_password);
  // 「パスワードを忘れた場合」: the server mails a single-use code to the
  // registered address. Returns when the code expires (RFC 3339).
  std::string request_password_reset(const std::string& user_id, const std::string& email);
  // Sets a new password with the mailed code; returns its last valid day.
  std::string complete_password_reset(const std::string& user_id, const SecretString& reset_code,
                                      const SecretString& new_password);

  // Validates the form locally (FormError with every violation), reads and
  // digests the attachments, signs the SignedApplication bytes with `sign`
  // (the signature key) and submits. `idempotency_key` empty: a random one.
  // A retried submit reuses key and signed bytes, so it never files twice.
  SubmitResult submit(const ApplicationForm& form, CardSigner& sign,
                      std::string idempotency_key = {});
  ApplicationStatus status(const std::string& provisional_number);
  std::vector<ApplicationStatus> list_applications();
  PendingProof pending_proof(const std::string& provisional_number);
  std::string notify(const Notification& notification);  // returns its ID
  NotificationReceipt submit_notification(const Notification& notification);
  std::vector<NotificationRecord> list_notifications();  // in filing order

  // Sends `x-forwarded-for` with every call (tests of trusted proxies).
  void set_forwarded_for(std::string address);
  bool logged_in() const;
  void logout();  // forgets the session token locally
  // The current session and its token, for programs that span processes (the
  // CLI keeps them in a 0600 file between `login` and `apply`). Throws
  // std::logic_error when not logged in.
  const Session& session() const;
  const SecretString& session_token() const;
  // Continues a session saved earlier; the server decides whether it is
  // still valid (UNAUTHENTICATED / SESSION_INVALID when not).
  void resume_session(Session session, SecretString token);
  RpcTiming rpc_timing() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace zairyu::client
