// CardControlService: the gRPC zairyu.card.v1.CardControl service. Thin
// handlers over Environment: check the control token, convert the request,
// call the environment, convert the result; ControlError becomes a status
// with google.rpc.ErrorInfo / BadRequest details.
#pragma once

#include <atomic>
#include <optional>
#include <string>

#include "emulator/server/environment.h"
#include "zairyu/card/v1/card_control.grpc.pb.h"

namespace zairyu::server {

// Synchronous gRPC service; gRPC's thread pool calls the handlers.
class CardControlService final : public zairyu::card::v1::CardControl::Service {
 public:
  // `control_token`: when set, every call needs `authorization: Bearer <token>`.
  CardControlService(Environment& environment, std::optional<std::string> control_token);

  // Ends every StreamApduLog (following ones included) within one poll
  // interval; call before grpc::Server::Shutdown so it does not wait on them.
  void stop_streams() { stopping_ = true; }

  grpc::Status ListSlots(grpc::ServerContext* context,
                         const zairyu::card::v1::ListSlotsRequest* request,
                         zairyu::card::v1::ListSlotsResponse* response) override;
  grpc::Status InsertCard(grpc::ServerContext* context,
                          const zairyu::card::v1::InsertCardRequest* request,
                          zairyu::card::v1::InsertCardResponse* response) override;
  grpc::Status RemoveCard(grpc::ServerContext* context,
                          const zairyu::card::v1::RemoveCardRequest* request,
                          zairyu::card::v1::RemoveCardResponse* response) override;
  grpc::Status ResetCard(grpc::ServerContext* context,
                         const zairyu::card::v1::ResetCardRequest* request,
                         zairyu::card::v1::ResetCardResponse* response) override;
  grpc::Status GetPinStatus(grpc::ServerContext* context,
                            const zairyu::card::v1::GetPinStatusRequest* request,
                            zairyu::card::v1::GetPinStatusResponse* response) override;
  grpc::Status SetFault(grpc::ServerContext* context,
                        const zairyu::card::v1::SetFaultRequest* request,
                        zairyu::card::v1::SetFaultResponse* response) override;
  grpc::Status ClearFaults(grpc::ServerContext* context,
                           const zairyu::card::v1::ClearFaultsRequest* request,
                           zairyu::card::v1::ClearFaultsResponse* response) override;
  grpc::Status StreamApduLog(grpc::ServerContext* context,
                             const zairyu::card::v1::StreamApduLogRequest* request,
                             grpc::ServerWriter<zairyu::card::v1::ApduLogEntry>* writer) override;
  grpc::Status SetCertificateState(
      grpc::ServerContext* context, const zairyu::card::v1::SetCertificateStateRequest* request,
      zairyu::card::v1::SetCertificateStateResponse* response) override;

 private:
  // Authorizes, runs `body`, maps exceptions to statuses and logs the call.
  template <typename Body>
  grpc::Status handle(const char* method, grpc::ServerContext& context, Body&& body);

  Environment& environment_;
  std::optional<std::string> control_token_;
  std::atomic<bool> stopping_{false};
};

}  // namespace zairyu::server
