// EmulatorServer: the gRPC server of zairyu-emulator (the online system,
// its control plane, card control, health, reflection) over one Environment. Used by the binary and
// by tests, which start it on 127.0.0.1:0 exactly as the binary does.
#pragma once

#include <grpcpp/server.h>

#include <memory>
#include <optional>
#include <string>

#include "emulator/server/card_control_service.h"
#include "emulator/server/emulator_control_service.h"
#include "emulator/server/environment.h"
#include "emulator/server/online_service.h"

namespace zairyu::server {

struct ServerOptions {
  // host:port; the host must be loopback (127.0.0.0/8, [::1], localhost) or
  // the address a unix: socket path. Port 0 picks a free port.
  std::string listen = "127.0.0.1:50051";
  // When set, control calls (CardControl, EmulatorControl) need
  // `authorization: Bearer <token>`.
  std::optional<std::string> control_token;
  // PEM certificate chain and private key: both set = TLS for every service
  // (grpc::SslServerCredentials, no client certificates); else plaintext.
  std::string tls_cert_file{};
  std::string tls_key_file{};
};

// A running server. Destruction shuts it down if shutdown() was not called.
// The online service shares the loopback-only port with the control plane;
// clients count as abroad through the geo table, not by where they listen.
class EmulatorServer {
 public:
  // Throws std::invalid_argument for a non-loopback address and
  // std::runtime_error when the address cannot be bound or a TLS file read.
  static std::unique_ptr<EmulatorServer> start(Environment& environment, ServerOptions options);
  ~EmulatorServer();
  EmulatorServer(const EmulatorServer&) = delete;
  EmulatorServer& operator=(const EmulatorServer&) = delete;

  // The bound TCP port (the OS's choice for port 0); 0 for unix: addresses.
  int port() const { return port_; }
  // Ends open streams, then stops the server (in-flight unary calls get one
  // second to finish). Idempotent.
  void shutdown();

 private:
  EmulatorServer(Environment& environment, const ServerOptions& options);

  CardControlService card_control_;
  EmulatorControlService emulator_control_;
  OnlineSystemService online_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  bool stopped_ = false;
};

// True for addresses the control plane may listen on (see ServerOptions).
bool is_loopback_listen_address(const std::string& address);

}  // namespace zairyu::server
