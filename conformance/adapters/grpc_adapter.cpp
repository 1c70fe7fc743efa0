#include "conformance/adapters/grpc_adapter.h"

#include <grpcpp/grpcpp.h>

#include <stdexcept>

#include "conformance/online/rpc_status.h"
#include "conformance/runner/run_context.h"
#include "conformance/scenario/suite.h"
#include "zairyu/conformance/v1/client_under_test.grpc.pb.h"

namespace zairyu::conformance {
namespace {

namespace pb = zairyu::conformance::v1;
using nlohmann::json;

std::unique_ptr<grpc::ClientContext> call_context(std::chrono::milliseconds deadline) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + deadline);
  return context;
}

std::string status_text(const grpc::Status& status) { return code_name(status.error_code()); }

}  // namespace

struct ClientUnderTestConnection::Stub {
  std::unique_ptr<pb::ClientUnderTest::Stub> rpc;
};

ClientUnderTestConnection::ClientUnderTestConnection(const std::string& address,
                                                     std::chrono::milliseconds deadline)
    : address_(address), stub_(std::make_unique<Stub>()) {
  const auto channel = grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  stub_->rpc = pb::ClientUnderTest::NewStub(channel);
  pb::GetInfoResponse response;
  auto context = call_context(deadline);
  context->set_wait_for_ready(true);  // the service may still be starting
  const grpc::Status status = stub_->rpc->GetInfo(context.get(), pb::GetInfoRequest(), &response);
  if (!status.ok()) {
    throw std::runtime_error("ClientUnderTest at " + address + ": GetInfo: " + status_text(status) +
                             " " + status.error_message());
  }
  info_.vendor = response.vendor();
  info_.product = response.product();
  info_.version = response.version();
  info_.features.assign(response.features().begin(), response.features().end());
  info_.actions.insert(response.actions().begin(), response.actions().end());
  if (info_.actions.empty()) {
    throw std::runtime_error("ClientUnderTest at " + address + ": GetInfo lists no actions");
  }
}

ClientUnderTestConnection::~ClientUnderTestConnection() = default;

GrpcAdapterExecutor::GrpcAdapterExecutor(ClientTarget target,
                                         std::shared_ptr<ClientUnderTestConnection> connection,
                                         std::size_t worker, std::chrono::milliseconds deadline)
    : AdapterExecutor(std::move(target), connection->info()),
      connection_(std::move(connection)),
      worker_("w" + std::to_string(worker + 1)),
      deadline_(deadline) {}

void GrpcAdapterExecutor::begin_run(const json& run, RunContext& context) {
  run_id_ = worker_ + "-" + std::to_string(++runs_);
  pb::PrepareRequest request;
  request.set_run_id(run_id_);
  request.set_server_address(run.at("server").get<std::string>());
  request.set_reader(run.at("reader").get<std::string>());
  request.set_seed(run.at("seed").get<std::string>());
  for (const json& p : run.at("personas")) {
    pb::Persona* persona = request.add_personas();
    persona->set_id(p.at("id").get<std::string>());
    persona->set_yaml(read_text_file(p.at("file").get<std::string>()));
    persona->set_slot(p.at("slot").get<int>());
    persona->set_email(p.at("email").get<std::string>());
    persona->set_residence_card_number(p.at("residence_card_number").get<std::string>());
    const json& pins = p.at("pins");
    persona->set_auth_pin(pins.at("auth").get<std::string>());
    if (pins.at("sign").is_string()) persona->set_sign_pin(pins.at("sign").get<std::string>());
    persona->set_input_helper_pin(pins.at("input_helper").get<std::string>());
  }
  const std::int64_t started = context.elapsed_us();
  pb::PrepareResponse response;
  const grpc::Status status =
      connection_->stub().rpc->Prepare(call_context(deadline_).get(), request, &response);
  context.add_rpc("ClientUnderTest.Prepare", status_text(status),
                  {{"run_id", run_id_}, {"reader", request.reader()}}, json::object(), started);
  if (!status.ok()) {
    throw std::runtime_error("ClientUnderTest.Prepare: " + status_text(status) + " " +
                             status.error_message());
  }
}

AdapterReply GrpcAdapterExecutor::invoke(const json& request, RunContext& context) {
  pb::ExecuteRequest call;
  call.set_run_id(run_id_);
  call.set_action(request.at("action").get<std::string>());
  call.set_args_json(request.at("args").dump());
  call.set_state_json(request.at("state").dump());
  if (request.at("persona").is_object()) {
    call.set_persona_id(request["persona"].at("id").get<std::string>());
  }
  call.set_step(static_cast<std::uint32_t>(request.at("step").get<std::size_t>()));
  const std::int64_t started = context.elapsed_us();
  pb::ExecuteResponse response;
  const grpc::Status status =
      connection_->stub().rpc->Execute(call_context(deadline_).get(), call, &response);
  json traced{
      {"ok", response.ok()}, {"error", response.error()}, {"value_json", response.value_json()}};
  context.add_rpc("ClientUnderTest.Execute " + call.action(), status_text(status),
                  {{"args", request.at("args")}, {"state", request.at("state")}}, std::move(traced),
                  started);
  if (!status.ok()) {
    throw AdapterFailure("Execute " + call.action() + ": " + status_text(status) + " " +
                         status.error_message());
  }
  AdapterReply reply;
  reply.ok = response.ok();
  reply.error = response.error();
  reply.message = response.message();
  if (!response.value_json().empty()) {
    reply.value = json::parse(response.value_json(), nullptr, false);
    if (!reply.value.is_object()) {
      throw AdapterFailure("Execute " + call.action() + ": value_json is not a JSON object");
    }
  }
  if (!reply.ok && reply.error.empty()) {
    throw AdapterFailure("Execute " + call.action() + ": ok=false without an error reason");
  }
  return reply;
}

void GrpcAdapterExecutor::end_run(RunContext& context) {
  pb::FinishRequest request;
  request.set_run_id(run_id_);
  const std::int64_t started = context.elapsed_us();
  pb::FinishResponse response;
  const grpc::Status status =
      connection_->stub().rpc->Finish(call_context(deadline_).get(), request, &response);
  context.add_rpc("ClientUnderTest.Finish", status_text(status), {{"run_id", run_id_}},
                  json::object(), started);
  if (!status.ok()) {
    throw std::runtime_error("ClientUnderTest.Finish: " + status_text(status) + " " +
                             status.error_message());
  }
}

}  // namespace zairyu::conformance
