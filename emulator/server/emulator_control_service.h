// EmulatorControlService: the gRPC zairyu.emulator.v1.EmulatorControl service
// (the online system's control plane). Thin handlers over Environment and its
// OnlineBackend; same control token and error mapping as CardControl.
#pragma once

#include <atomic>
#include <optional>
#include <string>

#include "emulator/server/environment.h"
#include "zairyu/emulator/v1/control.grpc.pb.h"

namespace zairyu::server {

// Synchronous gRPC service; gRPC's thread pool calls the handlers.
class EmulatorControlService final : public zairyu::emulator::v1::EmulatorControl::Service {
 public:
  EmulatorControlService(Environment& environment, std::optional<std::string> control_token);

  // Ends every StreamAuditEvents within one poll interval (before Shutdown).
  void stop_streams() { stopping_ = true; }

  grpc::Status Reset(grpc::ServerContext* context,
                     const zairyu::emulator::v1::ResetRequest* request,
                     zairyu::emulator::v1::ResetResponse* response) override;
  grpc::Status GetTime(grpc::ServerContext* context,
                       const zairyu::emulator::v1::GetTimeRequest* request,
                       zairyu::emulator::v1::TimeResponse* response) override;
  grpc::Status SetTime(grpc::ServerContext* context,
                       const zairyu::emulator::v1::SetTimeRequest* request,
                       zairyu::emulator::v1::TimeResponse* response) override;
  grpc::Status AdvanceTime(grpc::ServerContext* context,
                           const zairyu::emulator::v1::AdvanceTimeRequest* request,
                           zairyu::emulator::v1::TimeResponse* response) override;
  grpc::Status FollowRealTime(grpc::ServerContext* context,
                              const zairyu::emulator::v1::FollowRealTimeRequest* request,
                              zairyu::emulator::v1::TimeResponse* response) override;
  grpc::Status SetRuleSetDate(grpc::ServerContext* context,
                              const zairyu::emulator::v1::SetRuleSetDateRequest* request,
                              zairyu::emulator::v1::RuleSetDateResponse* response) override;
  grpc::Status GetRuleSetDate(grpc::ServerContext* context,
                              const zairyu::emulator::v1::GetRuleSetDateRequest* request,
                              zairyu::emulator::v1::RuleSetDateResponse* response) override;
  grpc::Status SetGeoTable(grpc::ServerContext* context,
                           const zairyu::emulator::v1::SetGeoTableRequest* request,
                           zairyu::emulator::v1::GeoTable* response) override;
  grpc::Status AddCidr(grpc::ServerContext* context,
                       const zairyu::emulator::v1::AddCidrRequest* request,
                       zairyu::emulator::v1::GeoTable* response) override;
  grpc::Status RemoveCidr(grpc::ServerContext* context,
                          const zairyu::emulator::v1::RemoveCidrRequest* request,
                          zairyu::emulator::v1::GeoTable* response) override;
  grpc::Status GetGeoTable(grpc::ServerContext* context,
                           const zairyu::emulator::v1::GetGeoTableRequest* request,
                           zairyu::emulator::v1::GeoTable* response) override;
  grpc::Status SetTrustedProxies(
      grpc::ServerContext* context, const zairyu::emulator::v1::SetTrustedProxiesRequest* request,
      zairyu::emulator::v1::SetTrustedProxiesResponse* response) override;
  grpc::Status LoadPersonas(grpc::ServerContext* context,
                            const zairyu::emulator::v1::LoadPersonasRequest* request,
                            zairyu::emulator::v1::LoadPersonasResponse* response) override;
  grpc::Status SetOrganizationApproval(
      grpc::ServerContext* context,
      const zairyu::emulator::v1::SetOrganizationApprovalRequest* request,
      zairyu::emulator::v1::SetOrganizationApprovalResponse* response) override;
  grpc::Status SetFault(grpc::ServerContext* context,
                        const zairyu::emulator::v1::SetFaultRequest* request,
                        zairyu::emulator::v1::SetFaultResponse* response) override;
  grpc::Status ClearFaults(grpc::ServerContext* context,
                           const zairyu::emulator::v1::ClearFaultsRequest* request,
                           zairyu::emulator::v1::ClearFaultsResponse* response) override;
  grpc::Status DecideApplication(grpc::ServerContext* context,
                                 const zairyu::emulator::v1::DecideApplicationRequest* request,
                                 zairyu::emulator::v1::ExaminerApplication* response) override;
  grpc::Status GetApplication(grpc::ServerContext* context,
                              const zairyu::emulator::v1::GetApplicationRequest* request,
                              zairyu::emulator::v1::ExaminerApplication* response) override;
  grpc::Status ListOutbox(grpc::ServerContext* context,
                          const zairyu::emulator::v1::ListOutboxRequest* request,
                          zairyu::emulator::v1::ListOutboxResponse* response) override;
  grpc::Status StreamAuditEvents(
      grpc::ServerContext* context, const zairyu::emulator::v1::StreamAuditEventsRequest* request,
      grpc::ServerWriter<zairyu::emulator::v1::AuditEvent>* writer) override;
  grpc::Status SaveSnapshot(grpc::ServerContext* context,
                            const zairyu::emulator::v1::SaveSnapshotRequest* request,
                            zairyu::emulator::v1::SnapshotInfo* response) override;
  grpc::Status RestoreSnapshot(grpc::ServerContext* context,
                               const zairyu::emulator::v1::RestoreSnapshotRequest* request,
                               zairyu::emulator::v1::SnapshotInfo* response) override;
  grpc::Status ListSnapshots(grpc::ServerContext* context,
                             const zairyu::emulator::v1::ListSnapshotsRequest* request,
                             zairyu::emulator::v1::ListSnapshotsResponse* response) override;
  grpc::Status DeleteSnapshot(grpc::ServerContext* context,
                              const zairyu::emulator::v1::DeleteSnapshotRequest* request,
                              zairyu::emulator::v1::DeleteSnapshotResponse* response) override;
  grpc::Status Echo(grpc::ServerContext* context, const zairyu::emulator::v1::EchoRequest* request,
                    zairyu::emulator::v1::EchoResponse* response) override;

 private:
  template <typename Body>
  grpc::Status handle(const char* method, grpc::ServerContext& context, Body&& body);

  Environment& environment_;
  OnlineBackend& online_;
  std::optional<std::string> control_token_;
  std::atomic<bool> stopping_{false};
};

}  // namespace zairyu::server
