// OnlineSystemService: the gRPC zairyu.online.v1.OnlineSystem service. Thin
// handlers over OnlineBackend: the network origin is checked first (peer
// address, X-Forwarded-For from trusted proxies only), then any aimed fault,
// then the request is converted, the backend called and the result converted;
// a Rejection becomes a status with ErrorInfo / BadRequest details.
#pragma once

#include "emulator/server/online_backend.h"
#include "zairyu/online/v1/online.grpc.pb.h"

namespace zairyu::server {

// Metadata carrying the session token Login returned.
inline constexpr char kSessionMetadata[] = "x-zairyu-session";

// Synchronous gRPC service; gRPC's thread pool calls the handlers. Only failed
// calls are logged, so the log stays readable under load.
class OnlineSystemService final : public zairyu::online::v1::OnlineSystem::Service {
 public:
  explicit OnlineSystemService(OnlineBackend& backend) : backend_(backend) {}

  grpc::Status GetRegistrationChallenge(grpc::ServerContext* context,
                                        const zairyu::online::v1::GetChallengeRequest* request,
                                        zairyu::online::v1::Challenge* response) override;
  grpc::Status RegisterUser(grpc::ServerContext* context,
                            const zairyu::online::v1::RegisterUserRequest* request,
                            zairyu::online::v1::RegisterUserResponse* response) override;
  grpc::Status GetLoginChallenge(grpc::ServerContext* context,
                                 const zairyu::online::v1::GetChallengeRequest* request,
                                 zairyu::online::v1::Challenge* response) override;
  grpc::Status Login(grpc::ServerContext* context, const zairyu::online::v1::LoginRequest* request,
                     zairyu::online::v1::LoginResponse* response) override;
  grpc::Status ChangePassword(grpc::ServerContext* context,
                              const zairyu::online::v1::ChangePasswordRequest* request,
                              zairyu::online::v1::ChangePasswordResponse* response) override;
  grpc::Status RequestPasswordReset(
      grpc::ServerContext* context, const zairyu::online::v1::RequestPasswordResetRequest* request,
      zairyu::online::v1::RequestPasswordResetResponse* response) override;
  grpc::Status CompletePasswordReset(
      grpc::ServerContext* context, const zairyu::online::v1::CompletePasswordResetRequest* request,
      zairyu::online::v1::CompletePasswordResetResponse* response) override;
  grpc::Status SubmitApplication(grpc::ServerContext* context,
                                 const zairyu::online::v1::SubmitApplicationRequest* request,
                                 zairyu::online::v1::SubmitApplicationResponse* response) override;
  grpc::Status GetApplication(grpc::ServerContext* context,
                              const zairyu::online::v1::GetApplicationRequest* request,
                              zairyu::online::v1::Application* response) override;
  grpc::Status ListApplications(grpc::ServerContext* context,
                                const zairyu::online::v1::ListApplicationsRequest* request,
                                zairyu::online::v1::ListApplicationsResponse* response) override;
  grpc::Status GetPendingProof(grpc::ServerContext* context,
                               const zairyu::online::v1::GetPendingProofRequest* request,
                               zairyu::online::v1::PendingProof* response) override;
  grpc::Status SubmitNotification(
      grpc::ServerContext* context, const zairyu::online::v1::SubmitNotificationRequest* request,
      zairyu::online::v1::SubmitNotificationResponse* response) override;
  grpc::Status ListNotifications(grpc::ServerContext* context,
                                 const zairyu::online::v1::ListNotificationsRequest* request,
                                 zairyu::online::v1::ListNotificationsResponse* response) override;

 private:
  // Access check, fault, then `body` (returns the status); logs failures.
  template <typename Body>
  grpc::Status handle(const char* method, grpc::ServerContext& context, Body&& body);
  // As handle, for calls made in a session: `body` gets the Session.
  template <typename Body>
  grpc::Status handle_session(const char* method, grpc::ServerContext& context, Body&& body);

  OnlineBackend& backend_;
};

}  // namespace zairyu::server
