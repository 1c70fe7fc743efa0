#include "emulator/server/online_service.h"

#include <google/protobuf/util/time_util.h>
#include <openssl/evp.h>

#include <array>
#include <exception>
#include <string_view>
#include <thread>
#include <utility>

#include "emulator/online/password_policy.h"
#include "emulator/persona/persona.h"
#include "emulator/server/json_log.h"
#include "emulator/server/rich_status.h"

namespace zairyu::server {
namespace pb = ::zairyu::online::v1;
namespace {

using google::protobuf::util::TimeUtil;

constexpr std::size_t kMaxIdempotencyKey = 128;

std::string_view metadata(const grpc::ServerContext& context, std::string_view key) {
  const auto& all = context.client_metadata();
  const auto it = all.find(grpc::string_ref(key.data(), key.size()));
  if (it == all.end()) return {};
  return {it->second.data(), it->second.size()};
}

card::ByteView bytes(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

card::Bytes copy_bytes(const std::string& s) { return card::Bytes(s.begin(), s.end()); }

google::protobuf::Timestamp timestamp(online::Instant t) {
  return TimeUtil::SecondsToTimestamp(t.time_since_epoch().count());
}

// Collects the malformed fields of one request; becomes one INVALID_ARGUMENT
// REQUEST_INVALID rejection naming each.
class Violations {
 public:
  void add(std::string field, std::string description) {
    rejection_.field_violations.push_back({std::move(field), std::move(description)});
  }
  online::Check check() const {
    if (rejection_.field_violations.empty()) return std::nullopt;
    online::Rejection r = rejection_;
    r.reason = "REQUEST_INVALID";
    r.category = online::ErrorCategory::kInvalidArgument;
    r.message = "malformed request: " + r.field_violations.front().field + ": " +
                r.field_violations.front().description;
    return r;
  }

 private:
  online::Rejection rejection_;
};

// ---- request -> core ----

// Proto enum values are the core's order plus one (0 = unspecified).
std::optional<online::UserCategory> to_core(pb::UserCategory c) {
  if (c < pb::ORGANIZATION_STAFF || c > pb::RELATIVE) return std::nullopt;
  return static_cast<online::UserCategory>(static_cast<int>(c) - 1);
}

std::optional<online::Procedure> to_core(pb::Procedure p) {
  if (p < pb::CERTIFICATE_OF_ELIGIBILITY || p > pb::OTHER_ACTIVITY_PERMISSION) return std::nullopt;
  return static_cast<online::Procedure>(static_cast<int>(p) - 1);
}

std::optional<CardProof> to_core(const pb::CardAuthentication& card, bool present,
                                 const std::string& field, Violations& violations) {
  if (!present) return std::nullopt;
  if (card.challenge().empty()) violations.add(field + ".challenge", "is required");
  if (card.signature().empty()) violations.add(field + ".signature", "is required");
  if (card.auth_certificate().empty()) violations.add(field + ".auth_certificate", "is required");
  return CardProof{copy_bytes(card.challenge()), copy_bytes(card.signature()),
                   copy_bytes(card.auth_certificate())};
}

online::StatusOfResidence to_core(const pb::StatusOfResidence& s) {
  return {s.name(), s.designation()};
}

std::optional<online::Date> date(const std::string& text, const std::string& field, bool required,
                                 Violations& violations) {
  if (text.empty()) {
    if (required) violations.add(field, "is required (YYYY-MM-DD)");
    return std::nullopt;
  }
  auto d = persona::parse_iso_date(text);
  if (!d) violations.add(field, "must be a date YYYY-MM-DD");
  return d;
}

void to_core(const pb::ApplicationForm& form, const std::string& field, online::SubmitRequest& out,
             Violations& violations) {
  online::ApplicationRequest& app = out.application;
  const pb::Applicant& a = form.applicant();
  const std::string applicant = field + ".applicant";
  if (auto d = date(a.birth_date(), applicant + ".birth_date", true, violations)) {
    app.applicant.birth_date = *d;
  }
  app.applicant.stay_expires_on =
      date(a.stay_expires_on(), applicant + ".stay_expires_on", false, violations);
  app.applicant.status = to_core(a.status());
  const auto& p = a.period_of_stay();
  if (p.years() < 0 || p.months() < 0 || p.days() < 0) {
    violations.add(applicant + ".period_of_stay", "must not be negative");
  }
  app.applicant.period_of_stay = {p.years(), p.months(), p.days(), p.indefinite()};
  app.applicant.inability_reason = a.inability_reason();
  out.applicant_email = a.email();
  for (int i = 0; i < form.procedures_size(); ++i) {
    const auto procedure = to_core(form.procedures(i));
    if (!procedure) {
      violations.add(field + ".procedures[" + std::to_string(i) + "]", "unknown procedure");
      continue;
    }
    app.procedures.push_back(*procedure);
  }
  if (form.procedures_size() == 0) violations.add(field + ".procedures", "at least one");
  app.requested_status = to_core(form.requested_status());
  switch (form.coe_receipt()) {
    case pb::COE_RECEIPT_UNSPECIFIED:
    case pb::COE_RECEIPT_PAPER:
      app.coe_receipt = online::CoeReceipt::kPaper;
      break;
    case pb::COE_RECEIPT_EMAIL:
      app.coe_receipt = online::CoeReceipt::kEmail;
      break;
    default:
      violations.add(field + ".coe_receipt", "unknown value");
  }
  switch (form.delivery()) {
    case pb::DELIVERY_UNSPECIFIED:
    case pb::DELIVERY_POST:
      out.delivery = online::CardDelivery::kPost;
      if (form.postal_address().empty()) {
        violations.add(field + ".postal_address", "is required for delivery by post");
      }
      break;
    case pb::DELIVERY_COUNTER:
      out.delivery = online::CardDelivery::kCounter;
      break;
    default:
      violations.add(field + ".delivery", "unknown value");
  }
  out.postal_address = form.postal_address();
  out.attachments.photo_size = form.photo_size();
}

std::string sha256(const std::string& data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md.data(), &len, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<const char*>(md.data()), len);
}

// The request's attachments against the digests the signature covers.
online::Check check_digests(const pb::SubmitApplicationRequest& request,
                            const pb::SignedApplication& signed_application) {
  online::Rejection r{"ATTACHMENT_DIGEST_MISMATCH",
                      "",
                      online::ErrorCategory::kInvalidArgument,
                      "the attachments differ from the digests the signature covers",
                      {}};
  if (request.attachments_size() != signed_application.attachments_size()) {
    r.field_violations.push_back({"attachments", "one digest per attachment is signed"});
    return r;
  }
  for (int i = 0; i < request.attachments_size(); ++i) {
    const auto& file = request.attachments(i);
    const auto& digest = signed_application.attachments(i);
    if (file.file_name() != digest.file_name() || sha256(file.content()) != digest.sha256()) {
      r.field_violations.push_back({"attachments[" + std::to_string(i) + "]",
                                    "name or SHA-256 differs from the signed digest"});
    }
  }
  if (r.field_violations.empty()) return std::nullopt;
  return r;
}

// ---- core -> response ----

pb::ApplicationState to_proto(online::ApplicationState s) {
  switch (s) {
    case online::ApplicationState::kProvisional:
      return pb::PROVISIONAL;
    case online::ApplicationState::kReceived:
      return pb::RECEIVED;
    case online::ApplicationState::kMaterialRequested:
      return pb::MATERIAL_REQUESTED;
    case online::ApplicationState::kApproved:
      return pb::APPROVED;
    case online::ApplicationState::kRefused:
      return pb::REFUSED;
    case online::ApplicationState::kCompleted:
      return pb::COMPLETED;
  }
  return pb::APPLICATION_STATE_UNSPECIFIED;
}

void to_proto(const online::FileVerdict& v, pb::FileVerdict& out) {
  out.set_file_name(v.file_name);
  out.set_accepted(v.status == online::FileStatus::kAccepted);
  out.set_error(v.error);
  out.set_rule_id(v.rule_id);
}

void to_proto(const online::ApplicationRecord& a, pb::Application& out) {
  out.set_provisional_number(a.id);
  out.set_receipt_number(a.receipt_number.value_or(""));
  out.set_state(to_proto(a.state));
  for (const auto p : a.request.procedures) {
    out.add_procedures(static_cast<pb::Procedure>(static_cast<int>(p) + 1));
  }
  *out.mutable_submitted_at() = timestamp(a.submitted_at);
  *out.mutable_receipt_due_at() = timestamp(a.receipt_due_at);
  for (const auto& v : a.attachments) to_proto(v, *out.add_attachments());
  out.set_user_id(a.user_id);
}

std::string password_valid_until(const online::Account& account) {
  return online::FormatDate(
      online::AddDays(online::PasswordExpiresOn(account.password_set_on), -1));
}

online::NotificationRequest to_core(const pb::SubmitNotificationRequest& r,
                                    Violations& violations) {
  online::NotificationRequest out;
  const int kind = r.notification_kind();
  if (kind >= pb::NOTIFICATION_KIND_ACTIVITY_ORGANIZATION &&
      kind <= pb::NOTIFICATION_KIND_SUPPORT_ORG_PERIODIC) {
    out.kind = static_cast<online::NotificationKind>(kind - 1);
  } else if (const auto named = online::ParseNotificationKind(r.kind());
             kind == pb::NOTIFICATION_KIND_UNSPECIFIED && named) {
    out.kind = *named;
  } else {
    violations.add("notification_kind", "must name a kind of 届出 (or `kind` its name)");
  }
  const int event = r.event();
  if (event >= pb::NOTIFICATION_EVENT_ORGANIZATION_RENAMED &&
      event <= pb::NOTIFICATION_EVENT_PERIODIC_REPORT) {
    out.event = static_cast<online::NotificationEvent>(event - 1);
  } else {
    violations.add("event", "must name an event");
  }
  if (auto d = date(r.event_date(), "event_date", true, violations)) out.event_date = *d;
  out.status = to_core(r.status());
  out.organization_name = r.organization_name();
  out.fields = {r.fields().begin(), r.fields().end()};
  return out;
}

void to_proto(const online::NotificationRecord& n, pb::Notification& out) {
  out.set_notification_id(n.id);
  out.set_notification_kind(
      static_cast<pb::NotificationKind>(static_cast<int>(n.request.kind) + 1));
  out.set_event(static_cast<pb::NotificationEvent>(static_cast<int>(n.request.event) + 1));
  out.set_event_date(online::FormatDate(n.request.event_date));
  out.set_deadline(online::FormatDate(n.deadline));
  out.set_late(n.late);
  *out.mutable_filed_at() = timestamp(n.filed_at);
  out.mutable_status()->set_name(n.request.status.name);
  out.mutable_status()->set_designation(n.request.status.designation);
  out.set_organization_name(n.request.organization_name);
  out.mutable_fields()->insert(n.request.fields.begin(), n.request.fields.end());
  out.set_user_id(n.user_id);
}

}  // namespace

template <typename Body>
grpc::Status OnlineSystemService::handle(const char* method, grpc::ServerContext& context,
                                         Body&& body) {
  const grpc::Status status = [&]() -> grpc::Status {
    // RAS-ACC-001: the origin before anything else; a session presented from
    // abroad ends.
    auto origin = backend_.check_access(context.peer(), metadata(context, "x-forwarded-for"));
    if (!origin.ok()) {
      backend_.end_session(metadata(context, kSessionMetadata));
      return rich_status(origin.rejection());
    }
    if (const auto fault = backend_.faults().hit(method)) {
      switch (fault->action) {
        case OnlineFault::Action::kStatus:
          return rich_status(static_cast<grpc::StatusCode>(fault->code), fault->reason,
                             "injected fault", {{"fault", method}});
        case OnlineFault::Action::kLatency:
          std::this_thread::sleep_for(fault->latency);
          break;
        case OnlineFault::Action::kDrop:
          // The client sees the call end without an answer.
          context.TryCancel();
          return grpc::Status::CANCELLED;
      }
    }
    try {
      return body();
    } catch (const std::exception& e) {
      return rich_status(grpc::StatusCode::INTERNAL, "INTERNAL", e.what());
    }
  }();
  if (!status.ok()) {
    log_json("warn", "rpc",
             {{"service", "OnlineSystem"},
              {"method", method},
              {"code", static_cast<int>(status.error_code())},
              {"reason", error_reason(status)},
              {"message", status.error_message()},
              {"peer", context.peer()}});
  }
  return status;
}

template <typename Body>
grpc::Status OnlineSystemService::handle_session(const char* method, grpc::ServerContext& context,
                                                 Body&& body) {
  return handle(method, context, [&]() -> grpc::Status {
    auto session = backend_.session(metadata(context, kSessionMetadata));
    if (!session.ok()) return rich_status(session.rejection());
    return body(session.value());
  });
}

grpc::Status OnlineSystemService::GetRegistrationChallenge(grpc::ServerContext* context,
                                                           const pb::GetChallengeRequest*,
                                                           pb::Challenge* response) {
  return handle("GetRegistrationChallenge", *context, [&] {
    const auto issued = backend_.new_challenge(OnlineBackend::ChallengePurpose::kRegistration);
    response->set_challenge(issued.bytes.data(), issued.bytes.size());
    *response->mutable_expires_at() = timestamp(issued.expires_at);
    return grpc::Status::OK;
  });
}

grpc::Status OnlineSystemService::GetLoginChallenge(grpc::ServerContext* context,
                                                    const pb::GetChallengeRequest*,
                                                    pb::Challenge* response) {
  return handle("GetLoginChallenge", *context, [&] {
    const auto issued = backend_.new_challenge(OnlineBackend::ChallengePurpose::kLogin);
    response->set_challenge(issued.bytes.data(), issued.bytes.size());
    *response->mutable_expires_at() = timestamp(issued.expires_at);
    return grpc::Status::OK;
  });
}

grpc::Status OnlineSystemService::RegisterUser(grpc::ServerContext* context,
                                               const pb::RegisterUserRequest* request,
                                               pb::RegisterUserResponse* response) {
  return handle("RegisterUser", *context, [&] {
    Violations violations;
    RegistrationArgs args;
    if (const auto category = to_core(request->category())) {
      args.category = *category;
    } else {
      violations.add("category", "must name a user category");
    }
    if (request->email().empty()) violations.add("email", "is required");
    args.email = request->email();
    args.password = request->password();
    args.card = to_core(request->card(), request->has_card(), "card", violations);
    args.residence_card_number = request->residence_card_number();
    args.notification_certificate_number = request->notification_certificate_number();
    args.organization_id = request->organization().organization_id();
    args.requested_by_organization = request->organization().requested_by_organization();
    if (online::NeedsOrganizationApproval(args.category) && args.organization_id.empty()) {
      violations.add("organization.organization_id", "is required for staff");
    }
    if (auto bad = violations.check()) return rich_status(*bad);
    auto user_id = backend_.register_user(args);
    if (!user_id.ok()) return rich_status(user_id.rejection());
    response->set_user_id(user_id.value());
    return grpc::Status::OK;
  });
}

grpc::Status OnlineSystemService::Login(grpc::ServerContext* context,
                                        const pb::LoginRequest* request,
                                        pb::LoginResponse* response) {
  return handle("Login", *context, [&] {
    Violations violations;
    if (request->user_id().empty()) violations.add("user_id", "is required");
    LoginArgs args{request->user_id(), request->password(),
                   to_core(request->card(), request->has_card(), "card", violations),
                   request->notification_certificate_number()};
    if (auto bad = violations.check()) return rich_status(*bad);
    auto session = backend_.login(args);
    if (!session.ok()) return rich_status(session.rejection());
    const online::Account& account = session.value().account;
    response->set_session_token(session.value().token);
    response->set_user_id(account.user_id);
    response->set_category(
        static_cast<pb::UserCategory>(static_cast<int>(account.credentials.category) + 1));
    response->set_password_valid_until(password_valid_until(account));
    return grpc::Status::OK;
  });
}

grpc::Status OnlineSystemService::ChangePassword(grpc::ServerContext* context,
                                                 const pb::ChangePasswordRequest* request,
                                                 pb::ChangePasswordResponse*) {
  return handle("ChangePassword", *context, [&] {
    if (auto refused = backend_.change_password(request->user_id(), request->old_password(),
                                                request->new_password())) {
      return rich_status(*refused);
    }
    return grpc::Status::OK;
  });
}

grpc::Status OnlineSystemService::RequestPasswordReset(
    grpc::ServerContext* context, const pb::RequestPasswordResetRequest* request,
    pb::RequestPasswordResetResponse* response) {
  return handle("RequestPasswordReset", *context, [&] {
    Violations violations;
    if (request->user_id().empty()) violations.add("user_id", "is required");
    if (request->email().empty()) violations.add("email", "is required");
    if (auto bad = violations.check()) return rich_status(*bad);
    auto expires_at = backend_.request_password_reset(request->user_id(), request->email());
    if (!expires_at.ok()) return rich_status(expires_at.rejection());
    *response->mutable_code_expires_at() = timestamp(expires_at.value());
    return grpc::Status::OK;
  });
}

grpc::Status OnlineSystemService::CompletePasswordReset(
    grpc::ServerContext* context, const pb::CompletePasswordResetRequest* request,
    pb::CompletePasswordResetResponse* response) {
  return handle("CompletePasswordReset", *context, [&] {
    Violations violations;
    if (request->user_id().empty()) violations.add("user_id", "is required");
    if (request->reset_code().empty()) violations.add("reset_code", "is required");
    if (auto bad = violations.check()) return rich_status(*bad);
    if (auto refused = backend_.complete_password_reset(request->user_id(), request->reset_code(),
                                                        request->new_password())) {
      return rich_status(*refused);
    }
    if (const auto account = backend_.account(request->user_id())) {
      response->set_password_valid_until(password_valid_until(*account));
    }
    return grpc::Status::OK;
  });
}

grpc::Status OnlineSystemService::SubmitApplication(grpc::ServerContext* context,
                                                    const pb::SubmitApplicationRequest* request,
                                                    pb::SubmitApplicationResponse* response) {
  return handle_session("SubmitApplication", *context, [&](const Session& session) {
    Violations violations;
    const auto& key = request->idempotency_key();
    if (key.empty() || key.size() > kMaxIdempotencyKey) {
      violations.add("idempotency_key", "must be 1-128 characters");
    }
    if (request->signature().empty()) violations.add("signature", "is required");
    if (request->signature_certificate().empty()) {
      violations.add("signature_certificate", "is required");
    }
    pb::SignedApplication signed_application;
    SubmitArgs args;
    if (request->signed_application().empty() ||
        !signed_application.ParseFromString(request->signed_application())) {
      violations.add("signed_application", "must be a serialized SignedApplication");
    } else {
      if (signed_application.idempotency_key() != key) {
        violations.add("signed_application.idempotency_key", "must equal idempotency_key");
      }
      if (!signed_application.has_form()) {
        violations.add("signed_application.form", "is required");
      } else {
        to_core(signed_application.form(), "signed_application.form", args.request, violations);
      }
    }
    if (auto bad = violations.check()) return rich_status(*bad);
    if (auto bad = check_digests(*request, signed_application)) return rich_status(*bad);

    for (const auto& file : request->attachments()) {
      args.request.attachments.files.push_back({file.file_name(), bytes(file.content())});
    }
    args.idempotency_key = key;
    args.signed_bytes = bytes(request->signed_application());
    args.signature = bytes(request->signature());
    args.signature_certificate = bytes(request->signature_certificate());
    auto outcome = backend_.submit(session, std::move(args));
    if (!outcome.ok()) return rich_status(outcome.rejection());
    response->set_provisional_number(outcome.value().provisional_number);
    for (const auto& v : outcome.value().attachments) {
      to_proto(v, *response->add_attachments());
    }
    response->set_replayed(outcome.value().replayed);
    return grpc::Status::OK;
  });
}

grpc::Status OnlineSystemService::GetApplication(grpc::ServerContext* context,
                                                 const pb::GetApplicationRequest* request,
                                                 pb::Application* response) {
  return handle_session("GetApplication", *context, [&](const Session& session) {
    auto a = backend_.applications().Get(request->provisional_number(), session.account.user_id);
    if (!a.ok()) return rich_status(a.rejection());
    to_proto(a.value(), *response);
    return grpc::Status::OK;
  });
}

grpc::Status OnlineSystemService::ListApplications(grpc::ServerContext* context,
                                                   const pb::ListApplicationsRequest*,
                                                   pb::ListApplicationsResponse* response) {
  return handle_session("ListApplications", *context, [&](const Session& session) {
    for (const auto& a : backend_.applications().List(session.account.user_id)) {
      to_proto(a, *response->add_applications());
    }
    return grpc::Status::OK;
  });
}

grpc::Status OnlineSystemService::GetPendingProof(grpc::ServerContext* context,
                                                  const pb::GetPendingProofRequest* request,
                                                  pb::PendingProof* response) {
  return handle_session("GetPendingProof", *context, [&](const Session& session) {
    auto proof = backend_.applications().ProofOfPending(request->provisional_number(),
                                                        session.account.user_id);
    if (!proof.ok()) return rich_status(proof.rejection());
    const online::PendingProof& p = proof.value();
    response->set_receipt_number(p.receipt_number);
    response->set_filed_on(online::FormatDate(p.filed_on));
    response->set_stay_expires_on(online::FormatDate(p.stay_expires_on));
    response->set_special_period_ends_on(online::FormatDate(p.special_period_ends_on));
    response->set_in_special_period(p.in_special_period);
    return grpc::Status::OK;
  });
}

grpc::Status OnlineSystemService::SubmitNotification(grpc::ServerContext* context,
                                                     const pb::SubmitNotificationRequest* request,
                                                     pb::SubmitNotificationResponse* response) {
  return handle_session("SubmitNotification", *context, [&](const Session& session) {
    Violations violations;
    online::NotificationRequest notification = to_core(*request, violations);
    if (auto bad = violations.check()) return rich_status(*bad);
    auto filed = backend_.submit_notification(session, std::move(notification));
    if (!filed.ok()) return rich_status(filed.rejection());
    const online::NotificationRecord& n = filed.value();
    response->set_notification_id(n.id);
    response->set_deadline(online::FormatDate(n.deadline));
    response->set_late(n.late);
    *response->mutable_filed_at() = timestamp(n.filed_at);
    return grpc::Status::OK;
  });
}

grpc::Status OnlineSystemService::ListNotifications(grpc::ServerContext* context,
                                                    const pb::ListNotificationsRequest*,
                                                    pb::ListNotificationsResponse* response) {
  return handle_session("ListNotifications", *context, [&](const Session& session) {
    for (const auto& n : backend_.list_notifications(session)) {
      response->add_notification_ids(n.id);
      to_proto(n, *response->add_notifications());
    }
    return grpc::Status::OK;
  });
}

}  // namespace zairyu::server
