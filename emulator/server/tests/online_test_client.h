// A test client of the online system over real gRPC: it plays the applicant's
// PC, signing with the persona's key files from the test PKI directly (the
// card is not needed for service tests), and steers the emulator through
// EmulatorControl.
#pragma once

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>

#include <google/protobuf/util/time_util.h>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "emulator/card/bytes.h"
#include "emulator/persona/pki_directory.h"
#include "emulator/server/tests/server_test_support.h"
#include "zairyu/emulator/v1/control.grpc.pb.h"
#include "zairyu/online/v1/online.grpc.pb.h"

namespace zairyu::server::testing {

namespace opb = ::zairyu::online::v1;
namespace cpb = ::zairyu::emulator::v1;

// RSA PKCS#1 v1.5 SHA-256 of `data` with the PEM private key in `key_file`.
inline std::string sign_with(const std::filesystem::path& key_file, const std::string& data) {
  const std::string pem = persona::PkiDirectory::read_text(key_file);
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (key == nullptr) throw std::runtime_error("bad key " + key_file.string());
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  std::size_t len = 0;
  std::string sig;
  if (EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
      EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(data.data()),
                     data.size()) == 1) {
    sig.resize(len);
    EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                   reinterpret_cast<const unsigned char*>(data.data()), data.size());
    sig.resize(len);
  }
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(key);
  return sig;
}

inline std::string sha256(const std::string& data) {
  std::string out(SHA256_DIGEST_LENGTH, '\0');
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
         reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

inline std::string file_text(const std::filesystem::path& path) {
  const card::Bytes b = persona::PkiDirectory::read_bytes(path);
  return std::string(b.begin(), b.end());
}

// A client bound to one emulator port.
class OnlineClient {
 public:
  explicit OnlineClient(int port, std::optional<std::string> control_token = std::nullopt)
      : channel_(grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                                     grpc::InsecureChannelCredentials())),
        online_(opb::OnlineSystem::NewStub(channel_)),
        control_(cpb::EmulatorControl::NewStub(channel_)),
        token_(std::move(control_token)),
        pki_(pki_dir()) {}

  opb::OnlineSystem::Stub& online() { return *online_; }
  cpb::EmulatorControl::Stub& control() { return *control_; }

  // A control-call context carrying the token.
  std::unique_ptr<grpc::ClientContext> control_context() const {
    auto context = std::make_unique<grpc::ClientContext>();
    if (token_) context->AddMetadata("authorization", "Bearer " + *token_);
    return context;
  }
  // An online-call context carrying `session`.
  static std::unique_ptr<grpc::ClientContext> session_context(const std::string& session) {
    auto context = std::make_unique<grpc::ClientContext>();
    if (!session.empty()) context->AddMetadata("x-zairyu-session", session);
    return context;
  }

  // ---- control ----
  void set_time(std::int64_t unix_seconds) {
    cpb::SetTimeRequest request;
    *request.mutable_time() = google::protobuf::util::TimeUtil::SecondsToTimestamp(unix_seconds);
    cpb::TimeResponse response;
    expect_ok(control_->SetTime(control_context().get(), request, &response), "SetTime");
  }
  void advance(std::int64_t seconds) {
    cpb::AdvanceTimeRequest request;
    *request.mutable_duration() = google::protobuf::util::TimeUtil::SecondsToDuration(seconds);
    cpb::TimeResponse response;
    expect_ok(control_->AdvanceTime(control_context().get(), request, &response), "AdvanceTime");
  }
  void add_cidr(const std::string& cidr, const std::string& country) {
    cpb::AddCidrRequest request;
    request.mutable_entry()->set_cidr(cidr);
    request.mutable_entry()->set_country(country);
    cpb::GeoTable response;
    expect_ok(control_->AddCidr(control_context().get(), request, &response), "AddCidr");
  }
  std::vector<cpb::OutboxItem> outbox(const std::string& application_id = {}) {
    cpb::ListOutboxRequest request;
    request.set_application_id(application_id);
    cpb::ListOutboxResponse response;
    expect_ok(control_->ListOutbox(control_context().get(), request, &response), "ListOutbox");
    return {response.items().begin(), response.items().end()};
  }

  // ---- applicant ----
  // A challenge of `kind` signed with the persona's auth key.
  opb::CardAuthentication card(const std::string& persona, bool for_login) {
    opb::GetChallengeRequest request;
    opb::Challenge challenge;
    grpc::ClientContext context;
    const grpc::Status status =
        for_login ? online_->GetLoginChallenge(&context, request, &challenge)
                  : online_->GetRegistrationChallenge(&context, request, &challenge);
    expect_ok(status, "challenge");
    opb::CardAuthentication card;
    card.set_challenge(challenge.challenge());
    card.set_signature(sign_with(pki_.auth_key(persona), challenge.challenge()));
    card.set_auth_certificate(file_text(pki_.auth_certificate(persona)));
    return card;
  }

  grpc::Status register_user(const std::string& persona, opb::UserCategory category,
                             const std::string& residence_card_number, std::string* user_id) {
    opb::RegisterUserRequest request;
    request.set_category(category);
    request.set_email(persona + "@example.com");
    request.set_password("pw-" + persona);
    *request.mutable_card() = card(persona, false);
    request.set_residence_card_number(residence_card_number);
    opb::RegisterUserResponse response;
    grpc::ClientContext context;
    const grpc::Status status = online_->RegisterUser(&context, request, &response);
    if (user_id) *user_id = response.user_id();
    return status;
  }

  grpc::Status login(const std::string& persona, const std::string& user_id, std::string* session) {
    opb::LoginRequest request;
    request.set_user_id(user_id);
    request.set_password("pw-" + persona);
    *request.mutable_card() = card(persona, true);
    opb::LoginResponse response;
    grpc::ClientContext context;
    const grpc::Status status = online_->Login(&context, request, &response);
    if (session) *session = response.session_token();
    return status;
  }

  // A signed request for `form`, signed by `signer`'s signature key.
  opb::SubmitApplicationRequest signed_request(const std::string& signer,
                                               const opb::ApplicationForm& form,
                                               const std::string& key,
                                               const std::vector<opb::Attachment>& files = {}) {
    opb::SignedApplication signed_application;
    *signed_application.mutable_form() = form;
    signed_application.set_idempotency_key(key);
    opb::SubmitApplicationRequest request;
    for (const auto& f : files) {
      auto* digest = signed_application.add_attachments();
      digest->set_file_name(f.file_name());
      digest->set_sha256(sha256(f.content()));
      *request.add_attachments() = f;
    }
    const std::string bytes = signed_application.SerializeAsString();
    request.set_signed_application(bytes);
    request.set_signature(sign_with(pki_.sign_key(signer), bytes));
    request.set_signature_certificate(file_text(pki_.sign_certificate(signer)));
    request.set_idempotency_key(key);
    return request;
  }

  grpc::Status submit(const std::string& session, const opb::SubmitApplicationRequest& request,
                      opb::SubmitApplicationResponse* response) {
    return online_->SubmitApplication(session_context(session).get(), request, response);
  }

  const persona::PkiDirectory& pki() const { return pki_; }

 private:
  static void expect_ok(const grpc::Status& status, const char* what) {
    if (!status.ok()) {
      throw std::runtime_error(std::string(what) + ": " + status.error_message() + " (" +
                               error_info(status).reason() + ")");
    }
  }

  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<opb::OnlineSystem::Stub> online_;
  std::unique_ptr<cpb::EmulatorControl::Stub> control_;
  std::optional<std::string> token_;
  persona::PkiDirectory pki_;
};

}  // namespace zairyu::server::testing
