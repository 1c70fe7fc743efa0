// The gRPC adapter: a vendor's client behind the ClientUnderTest service
// (protos/zairyu/conformance/v1/client_under_test.proto). The runner is the
// gRPC client; `--client grpc:ADDR`.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "conformance/adapters/adapter_executor.h"

namespace zairyu::conformance {

// A connection to a ClientUnderTest service, shared by every worker's
// executor (gRPC stubs are thread-safe).
class ClientUnderTestConnection {
 public:
  // Connects (plaintext) and calls GetInfo; throws std::runtime_error when
  // the service does not answer within `deadline`.
  ClientUnderTestConnection(const std::string& address, std::chrono::milliseconds deadline);
  ~ClientUnderTestConnection();

  const AdapterInfo& info() const { return info_; }
  const std::string& address() const { return address_; }

  struct Stub;
  Stub& stub() const { return *stub_; }

 private:
  std::string address_;
  std::unique_ptr<Stub> stub_;
  AdapterInfo info_;
};

class GrpcAdapterExecutor final : public AdapterExecutor {
 public:
  // `worker` makes run ids unique across workers ("w1-17").
  GrpcAdapterExecutor(ClientTarget target, std::shared_ptr<ClientUnderTestConnection> connection,
                      std::size_t worker, std::chrono::milliseconds deadline);

 private:
  void begin_run(const nlohmann::json& run, RunContext& context) override;
  AdapterReply invoke(const nlohmann::json& request, RunContext& context) override;
  void end_run(RunContext& context) override;

  std::shared_ptr<ClientUnderTestConnection> connection_;
  std::string worker_;
  std::chrono::milliseconds deadline_;
  std::size_t runs_ = 0;
  std::string run_id_;
};

}  // namespace zairyu::conformance
