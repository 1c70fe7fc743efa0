#include "emulator/server/emulator_server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <chrono>
#include <stdexcept>

namespace zairyu::server {

bool is_loopback_listen_address(const std::string& address) {
  if (address.starts_with("unix:")) return true;
  const auto colon = address.rfind(':');
  if (colon == std::string::npos) return false;
  const std::string host = address.substr(0, colon);
  if (host == "localhost" || host == "[::1]") return true;
  in_addr ipv4{};
  return inet_pton(AF_INET, host.c_str(), &ipv4) == 1 && (ntohl(ipv4.s_addr) >> 24) == 127;
}

EmulatorServer::EmulatorServer(Environment& environment, const ServerOptions& options)
    : card_control_(environment, options.control_token) {}

std::unique_ptr<EmulatorServer> EmulatorServer::start(Environment& environment,
                                                      ServerOptions options) {
  if (!is_loopback_listen_address(options.listen)) {
    throw std::invalid_argument("refusing to listen on non-loopback address " + options.listen);
  }
  // Process-wide switches; must be set before the first ServerBuilder.
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  std::unique_ptr<EmulatorServer> server(new EmulatorServer(environment, options));
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen, grpc::InsecureServerCredentials(), &server->port_);
  builder.RegisterService(&server->card_control_);
  server->server_ = builder.BuildAndStart();
  if (!server->server_) throw std::runtime_error("cannot listen on " + options.listen);
  // For unix: addresses gRPC reports port 1; there is no TCP port.
  if (options.listen.starts_with("unix:")) server->port_ = 0;
  return server;
}

EmulatorServer::~EmulatorServer() { shutdown(); }

void EmulatorServer::shutdown() {
  if (stopped_) return;
  stopped_ = true;
  card_control_.stop_streams();
  server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
  server_->Wait();
}

}  // namespace zairyu::server
