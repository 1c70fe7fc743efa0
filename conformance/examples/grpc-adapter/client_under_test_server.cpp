// zairyu-example-client-under-test: a ClientUnderTest gRPC service
// (protos/zairyu/conformance/v1/client_under_test.proto) over our client
// engine, the shape a vendor's service takes: it reads the card through the
// PC/SC reader the runner names and talks to the online system the runner
// names. Behind it: the harness's own in-process client executor (the same
// action implementations as `--client in-process`) over the card in that
// reader.
//   zairyu-example-client-under-test --listen 127.0.0.1:0 --port-file F
//       --personas fixtures/personas --pki build/fixtures/pki   (one command)
//   zairyu-conformance run ... --transport pcsc --client grpc:127.0.0.1:PORT
#include <grpcpp/grpcpp.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>

#include "conformance/card/reader_card_executor.h"
#include "conformance/online/client_actions.h"
#include "conformance/online/client_executor.h"
#include "conformance/runner/run_context.h"
#include "zairyu/conformance/v1/client_under_test.grpc.pb.h"

namespace {

namespace pb = zairyu::conformance::v1;
namespace zc = zairyu::conformance;
using nlohmann::json;

// One run in flight: the card in its reader and our client on top.
struct Run {
  Run(const std::string& personas, const std::string& pki, const pb::PrepareRequest& request)
      : cards(personas, pki, request.reader(), "", /*reset_each_run=*/false),
        client(request.server_address(), cards, "/"),
        context(std::stoull(request.seed().empty() ? "0" : request.seed())) {}

  std::mutex mutex;  // one call of a run at a time
  zc::ReaderCardExecutor cards;
  zc::ClientExecutor client;
  zc::RunContext context;
};

class Service final : public pb::ClientUnderTest::Service {
 public:
  Service(std::string personas, std::string pki)
      : personas_(std::move(personas)), pki_(std::move(pki)) {}

  grpc::Status GetInfo(grpc::ServerContext*, const pb::GetInfoRequest*,
                       pb::GetInfoResponse* response) override {
    response->set_vendor("zairyu-lab");
    response->set_product("zairyu client engine (example ClientUnderTest service)");
    response->set_version("1.0");
    for (const auto& [name, action] : zc::client_actions()) response->add_actions(name);
    for (const char* feature :
         {"online.register", "online.login", "online.apply", "online.attachments", "online.status",
          "online.proof", "online.notify", "online.password", "online.forwarded_for"}) {
      response->add_features(feature);
    }
    return grpc::Status::OK;
  }

  grpc::Status Prepare(grpc::ServerContext*, const pb::PrepareRequest* request,
                       pb::PrepareResponse*) override {
    if (request->reader().empty()) {
      return {grpc::StatusCode::FAILED_PRECONDITION, "this client needs a PC/SC reader"};
    }
    zc::Given given;
    for (const pb::Persona& persona : request->personas()) {
      zc::CardSetup card;
      card.persona = persona.id();
      card.slot = persona.slot();
      given.cards.push_back(card);
    }
    try {
      auto run = std::make_shared<Run>(personas_, pki_, *request);
      run->cards.prepare(given, run->context);
      run->client.prepare(given, run->context);
      const std::lock_guard lock(mutex_);
      runs_[request->run_id()] = std::move(run);
    } catch (const std::exception& e) {
      return {grpc::StatusCode::FAILED_PRECONDITION, e.what()};
    }
    return grpc::Status::OK;
  }

  grpc::Status Execute(grpc::ServerContext*, const pb::ExecuteRequest* request,
                       pb::ExecuteResponse* response) override {
    const std::shared_ptr<Run> run = find(request->run_id());
    if (!run) return {grpc::StatusCode::NOT_FOUND, "no run " + request->run_id()};
    const json args = json::parse(request->args_json(), nullptr, false);
    if (!args.is_object()) return {grpc::StatusCode::INVALID_ARGUMENT, "args_json: not an object"};
    const std::lock_guard lock(run->mutex);
    run->context.set_step(request->step());
    const zc::StepOutcome outcome = run->client.execute(
        zc::Action{zc::ActionKind::kClient, request->action(), args}, run->context);
    response->set_ok(outcome.ok());
    response->set_error(outcome.error);
    response->set_message(outcome.message);
    response->set_value_json(outcome.value.dump());
    return grpc::Status::OK;
  }

  grpc::Status Finish(grpc::ServerContext*, const pb::FinishRequest* request,
                      pb::FinishResponse*) override {
    std::shared_ptr<Run> run;
    {
      const std::lock_guard lock(mutex_);
      const auto it = runs_.find(request->run_id());
      if (it == runs_.end()) return {grpc::StatusCode::NOT_FOUND, "no run " + request->run_id()};
      run = std::move(it->second);
      runs_.erase(it);
    }
    const std::lock_guard lock(run->mutex);
    run->client.finish(run->context);
    run->cards.finish(run->context);
    return grpc::Status::OK;
  }

 private:
  std::shared_ptr<Run> find(const std::string& id) {
    const std::lock_guard lock(mutex_);
    const auto it = runs_.find(id);
    return it == runs_.end() ? nullptr : it->second;
  }

  std::string personas_, pki_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Run>> runs_;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"example ClientUnderTest service over the zairyu client engine"};
  std::string listen = "127.0.0.1:50070", port_file, personas, pki;
  app.add_option("--listen", listen, "host:port (port 0: the OS chooses)");
  app.add_option("--port-file", port_file, "write the bound port here");
  app.add_option("--personas", personas, "persona directory")->required();
  app.add_option("--pki", pki, "generated test-PKI directory")->required();
  CLI11_PARSE(app, argc, argv);

  // Blocked before gRPC starts its threads, so only sigwait() sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  Service service(personas, pki);
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  const std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || port == 0) {
    std::cerr << "zairyu-example-client-under-test: cannot listen on " << listen << "\n";
    return 2;
  }
  if (!port_file.empty()) std::ofstream(port_file) << port << "\n";
  std::cerr << "ClientUnderTest listening on port " << port << "\n";
  int signal_number = 0;
  sigwait(&signals, &signal_number);
  server->Shutdown();
  return 0;
}
