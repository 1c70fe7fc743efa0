#include "zairyu/client/online_client.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <openssl/crypto.h>
#include <sys/random.h>

#include <fstream>
#include <initializer_list>
#include <iterator>
#include <thread>

#include "online/proto_convert.h"
#include "online/rpc_error.h"
#include "sha256.h"
#include "zairyu/online/v1/online.grpc.pb.h"

namespace zairyu::client {

namespace pb = ::zairyu::online::v1;
using detail::bad_response;

namespace {

constexpr std::size_t kMaxIdempotencyKey = 128;

std::string read_pem(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string pem((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) {
    throw std::invalid_argument("cannot read the TLS root certificates \"" + path + "\"");
  }
  if (pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
    throw std::invalid_argument("\"" + path + "\" holds no PEM certificate");
  }
  return pem;
}

std::shared_ptr<grpc::Channel> make_channel(const ServerOptions& options) {
  if (options.address.empty()) throw std::invalid_argument("no server address (HOST:PORT)");
  grpc::ChannelArguments args;
  if (!options.tls_root_certificates_file) {
    return grpc::CreateCustomChannel(options.address, grpc::InsecureChannelCredentials(), args);
  }
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = read_pem(*options.tls_root_certificates_file);
  if (!options.tls_server_name.empty()) {
    args.SetSslTargetNameOverride(options.tls_server_name);
  }
  return grpc::CreateCustomChannel(options.address, grpc::SslCredentials(ssl), args);
}

// 128 random bits from the kernel, in hex: unique, not secret.
std::string random_key() {
  unsigned char random[16];
  if (getrandom(random, sizeof random, 0) != static_cast<ssize_t>(sizeof random)) {
    throw std::runtime_error("getrandom failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string key;
  for (unsigned char b : random) key += {kHex[b >> 4], kHex[b & 15]};
  return key;
}

std::string as_string(ByteView bytes) {
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

ByteView as_bytes(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// Failures after which the same request may be sent again. CANCELLED counts:
// this client never cancels a call itself, so it means the server or a proxy
// dropped the call, and the request may or may not have been carried out
// (safe only for reads and for submissions, which carry an idempotency key).
bool transient(grpc::StatusCode code) {
  return code == grpc::StatusCode::UNAVAILABLE || code == grpc::StatusCode::DEADLINE_EXCEEDED ||
         code == grpc::StatusCode::CANCELLED;
}

// Wipes the secrets a request copied (passwords) when it goes out of scope.
class WipeOnExit {
 public:
  explicit WipeOnExit(std::initializer_list<std::string*> secrets) : secrets_(secrets) {}
  ~WipeOnExit() {
    for (std::string* s : secrets_) OPENSSL_cleanse(s->data(), s->size());
  }
  WipeOnExit(const WipeOnExit&) = delete;
  WipeOnExit& operator=(const WipeOnExit&) = delete;

 private:
  std::vector<std::string*> secrets_;
};

// Whether a failed attempt may be sent again.
enum class Retry { kNever, kWhenTransient };

}  // namespace

OnlineError::OnlineError(const std::string& message, std::string code_name, std::string reason,
                         std::string rule_id, std::vector<FieldViolation> violations)
    : std::runtime_error(message),
      code_name_(std::move(code_name)),
      reason_(std::move(reason)),
      rule_id_(std::move(rule_id)),
      violations_(std::move(violations)) {}

// The channel, the session and the per-call policy (deadline, metadata,
// retries, timing).
struct OnlineClient::Impl {
  explicit Impl(ServerOptions o)
      : options(std::move(o)),
        channel(make_channel(options)),
        stub(pb::OnlineSystem::NewStub(channel)) {}

  template <typename Request, typename Response>
  using Method = grpc::Status (pb::OnlineSystem::Stub::*)(grpc::ClientContext*, const Request&,
                                                          Response*);

  // One unary call: a fresh context per attempt, each with the full deadline.
  template <typename Request, typename Response>
  Response call(const char* name, Method<Request, Response> method, const Request& request,
                bool with_session, Retry retry) {
    if (with_session && !session) {
      throw OnlineError(std::string(name) + " needs a session: log in first", "UNAUTHENTICATED",
                        "NOT_LOGGED_IN", "", {});
    }
    for (int attempt = 0;; ++attempt) {
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + options.deadline);
      if (with_session) context.AddMetadata("x-zairyu-session", std::string(token.reveal()));
      if (!forwarded_for.empty()) context.AddMetadata("x-forwarded-for", forwarded_for);
      Response response;
      const auto start = std::chrono::steady_clock::now();
      const grpc::Status status = ((*stub).*method)(&context, request, &response);
      timing.total += std::chrono::steady_clock::now() - start;
      ++timing.calls;
      if (status.ok()) return response;
      if (retry == Retry::kNever || !transient(status.error_code()) || attempt >= options.retries) {
        throw detail::to_online_error(status, name, options.address);
      }
      std::this_thread::sleep_for(options.retry_backoff * (1 << attempt));
    }
  }

  // A challenge signed with the auth key (a fresh one for every attempt).
  pb::CardAuthentication card_proof(bool for_login, CardSigner& auth) {
    const pb::GetChallengeRequest request;
    const pb::Challenge challenge =
        for_login
            ? call("GetLoginChallenge", &pb::OnlineSystem::Stub::GetLoginChallenge, request, false,
                   Retry::kWhenTransient)
            : call("GetRegistrationChallenge", &pb::OnlineSystem::Stub::GetRegistrationChallenge,
                   request, false, Retry::kWhenTransient);
    if (challenge.challenge().empty()) {
      throw bad_response(for_login ? "GetLoginChallenge" : "GetRegistrationChallenge",
                         "empty challenge");
    }
    pb::CardAuthentication card;
    card.set_challenge(challenge.challenge());
    card.set_auth_certificate(as_string(auth.certificate()));
    card.set_signature(as_string(auth.sign(as_bytes(challenge.challenge()))));
    return card;
  }

  ServerOptions options;
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<pb::OnlineSystem::Stub> stub;
  std::optional<Session> session;
  SecretString token;
  std::string forwarded_for;
  RpcTiming timing;
};

OnlineClient::OnlineClient(ServerOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}
OnlineClient::~OnlineClient() = default;

std::string OnlineClient::register_user(const Registration& registration, CardSigner* auth) {
  pb::RegisterUserRequest request;
  request.set_category(detail::to_proto(registration.category));
  request.set_email(registration.email);
  request.set_password(std::string(registration.password.reveal()));
  const WipeOnExit wipe{request.mutable_password()};
  if (needs_card(registration.category)) {
    if (!auth) {
      throw std::invalid_argument(to_string(registration.category) +
                                  " users register with a My Number Card");
    }
    *request.mutable_card() = impl_->card_proof(false, *auth);
  }
  request.set_residence_card_number(registration.residence_card_number);
  request.set_notification_certificate_number(registration.notification_certificate_number);
  if (!registration.organization_id.empty()) {
    request.mutable_organization()->set_organization_id(registration.organization_id);
    request.mutable_organization()->set_requested_by_organization(
        registration.requested_by_organization);
  }
  const auto response = impl_->call("RegisterUser", &pb::OnlineSystem::Stub::RegisterUser, request,
                                    false, Retry::kNever);
  if (response.user_id().empty()) throw bad_response("RegisterUser", "no user ID");
  return response.user_id();
}

Session OnlineClient::login(const Credentials& credentials, CardSigner* auth) {
  pb::LoginRequest request;
  request.set_user_id(credentials.user_id);
  request.set_password(std::string(credentials.password.reveal()));
  const WipeOnExit wipe{request.mutable_password()};
  request.set_notification_certificate_number(credentials.notification_certificate_number);
  if (auth) *request.mutable_card() = impl_->card_proof(true, *auth);
  const auto response =
      impl_->call("Login", &pb::OnlineSystem::Stub::Login, request, false, Retry::kNever);
  if (response.session_token().empty()) throw bad_response("Login", "no session token");
  Session session{response.user_id().empty() ? credentials.user_id : response.user_id(),
                  detail::from_proto(response.category(), "Login"),
                  response.password_valid_until()};
  resume_session(session, SecretString(response.session_token()));
  return session;
}

void OnlineClient::change_password(const std::string& user_id, const SecretString& old_password,
                                   const SecretString& new_password) {
  pb::ChangePasswordRequest request;
  request.set_user_id(user_id);
  request.set_old_password(std::string(old_password.reveal()));
  request.set_new_password(std::string(new_password.reveal()));
  const WipeOnExit wipe{request.mutable_old_password(), request.mutable_new_password()};
  impl_->call("ChangePassword", &pb::OnlineSystem::Stub::ChangePassword, request, false,
              Retry::kNever);
}

std::string OnlineClient::request_password_reset(const std::string& user_id,
                                                 const std::string& email) {
  pb::RequestPasswordResetRequest request;
  request.set_user_id(user_id);
  request.set_email(email);
  const auto response =
      impl_->call("RequestPasswordReset", &pb::OnlineSystem::Stub::RequestPasswordReset, request,
                  false, Retry::kNever);
  return detail::rfc3339(response.code_expires_at(), response.has_code_expires_at());
}

std::string OnlineClient::complete_password_reset(const std::string& user_id,
                                                  const SecretString& reset_code,
                                                  const SecretString& new_password) {
  pb::CompletePasswordResetRequest request;
  request.set_user_id(user_id);
  request.set_reset_code(std::string(reset_code.reveal()));
  request.set_new_password(std::string(new_password.reveal()));
  const WipeOnExit wipe{request.mutable_reset_code(), request.mutable_new_password()};
  return impl_
      ->call("CompletePasswordReset", &pb::OnlineSystem::Stub::CompletePasswordReset, request,
             false, Retry::kNever)
      .password_valid_until();
}

SubmitResult OnlineClient::submit(const ApplicationForm& form, CardSigner& sign,
                                  std::string idempotency_key) {
  if (auto violations = validate_form(form); !violations.empty()) {
    const std::string first = violations.front().field + ": " + violations.front().description;
    throw FormError("the form is invalid: " + first, std::move(violations));
  }
  if (idempotency_key.empty()) idempotency_key = random_key();
  if (idempotency_key.size() > kMaxIdempotencyKey) {
    throw std::invalid_argument("an idempotency key has 1-128 characters");
  }
  pb::SignedApplication signed_application;
  *signed_application.mutable_form() = detail::to_proto(form);
  signed_application.set_idempotency_key(idempotency_key);
  pb::SubmitApplicationRequest request;
  for (const AttachmentFile& file : form.attachments) {
    auto* digest = signed_application.add_attachments();
    digest->set_file_name(file.file_name);
    const auto hash = detail::sha256(file.content);
    digest->set_sha256(hash.data(), hash.size());
    auto* attachment = request.add_attachments();
    attachment->set_file_name(file.file_name);
    attachment->set_content_type(file.content_type);
    attachment->set_content(as_string(file.content));
  }
  // Serialized once: the signature covers exactly these bytes, and a retry
  // sends them again unchanged.
  std::string bytes;
  if (!signed_application.SerializeToString(&bytes)) {
    throw std::runtime_error("cannot serialize the application");
  }
  request.set_signature(as_string(sign.sign(as_bytes(bytes))));
  request.set_signature_certificate(as_string(sign.certificate()));
  request.set_signed_application(std::move(bytes));
  request.set_idempotency_key(idempotency_key);
  const auto response = impl_->call("SubmitApplication", &pb::OnlineSystem::Stub::SubmitApplication,
                                    request, true, Retry::kWhenTransient);
  if (response.provisional_number().empty()) {
    throw bad_response("SubmitApplication", "no provisional number");
  }
  SubmitResult result;
  result.provisional_number = response.provisional_number();
  for (const auto& v : response.attachments()) result.attachments.push_back(detail::from_proto(v));
  result.replayed = response.replayed();
  result.idempotency_key = std::move(idempotency_key);
  return result;
}

ApplicationStatus OnlineClient::status(const std::string& provisional_number) {
  pb::GetApplicationRequest request;
  request.set_provisional_number(provisional_number);
  return detail::from_proto(impl_->call("GetApplication", &pb::OnlineSystem::Stub::GetApplication,
                                        request, true, Retry::kWhenTransient));
}

std::vector<ApplicationStatus> OnlineClient::list_applications() {
  const auto response = impl_->call("ListApplications", &pb::OnlineSystem::Stub::ListApplications,
                                    pb::ListApplicationsRequest(), true, Retry::kWhenTransient);
  std::vector<ApplicationStatus> out;
  for (const auto& a : response.applications()) out.push_back(detail::from_proto(a));
  return out;
}

PendingProof OnlineClient::pending_proof(const std::string& provisional_number) {
  pb::GetPendingProofRequest request;
  request.set_provisional_number(provisional_number);
  return detail::from_proto(impl_->call("GetPendingProof", &pb::OnlineSystem::Stub::GetPendingProof,
                                        request, true, Retry::kWhenTransient));
}

std::string OnlineClient::notify(const Notification& notification) {
  return submit_notification(notification).notification_id;
}

NotificationReceipt OnlineClient::submit_notification(const Notification& notification) {
  const auto request = detail::to_proto(notification);
  const auto response =
      impl_->call("SubmitNotification", &pb::OnlineSystem::Stub::SubmitNotification, request, true,
                  Retry::kNever);
  if (response.notification_id().empty()) {
    throw bad_response("SubmitNotification", "no notification ID");
  }
  return {response.notification_id(), response.deadline(), response.late(),
          detail::rfc3339(response.filed_at(), response.has_filed_at())};
}

std::vector<NotificationRecord> OnlineClient::list_notifications() {
  const auto response = impl_->call("ListNotifications", &pb::OnlineSystem::Stub::ListNotifications,
                                    pb::ListNotificationsRequest(), true, Retry::kWhenTransient);
  std::vector<NotificationRecord> out;
  for (const auto& n : response.notifications()) out.push_back(detail::from_proto(n));
  return out;
}

void OnlineClient::set_forwarded_for(std::string address) {
  impl_->forwarded_for = std::move(address);
}

bool OnlineClient::logged_in() const { return impl_->session.has_value(); }

void OnlineClient::logout() {
  impl_->session.reset();
  impl_->token = SecretString();
}

const Session& OnlineClient::session() const {
  if (!impl_->session) throw std::logic_error("not logged in");
  return *impl_->session;
}

const SecretString& OnlineClient::session_token() const {
  if (!impl_->session) throw std::logic_error("not logged in");
  return impl_->token;
}

void OnlineClient::resume_session(Session session, SecretString token) {
  if (token.empty()) throw std::invalid_argument("an empty session token");
  impl_->session = std::move(session);
  impl_->token = std::move(token);
}

RpcTiming OnlineClient::rpc_timing() const { return impl_->timing; }

}  // namespace zairyu::client
