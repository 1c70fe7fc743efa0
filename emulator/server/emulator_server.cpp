#include "emulator/server/emulator_server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <chrono>
#include <fstream>
#include <iterator>
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

namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::shared_ptr<grpc::ServerCredentials> credentials(const ServerOptions& options) {
  if (options.tls_cert_file.empty() != options.tls_key_file.empty()) {
    throw std::invalid_argument("TLS needs both a certificate and a key file");
  }
  if (options.tls_cert_file.empty()) return grpc::InsecureServerCredentials();
  grpc::SslServerCredentialsOptions ssl;
  ssl.pem_key_cert_pairs.push_back(
      {read_text(options.tls_key_file), read_text(options.tls_cert_file)});
  return grpc::SslServerCredentials(ssl);
}

}  // namespace

EmulatorServer::EmulatorServer(Environment& environment, const ServerOptions& options)
    : card_control_(environment, options.control_token),
      emulator_control_(environment, options.control_token),
      online_(environment.online()) {}

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
  builder.AddListeningPort(options.listen, credentials(options), &server->port_);
  builder.RegisterService(&server->card_control_);
  builder.RegisterService(&server->emulator_control_);
  builder.RegisterService(&server->online_);
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
  emulator_control_.stop_streams();
  server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
  server_->Wait();
}

}  // namespace zairyu::server
