// The gRPC adapter against a ClientUnderTest service run inside the test:
// GetInfo, the Prepare/Execute/Finish sequence with its payloads, and how
// refusals, broken answers and a dead service show.
#define BOOST_TEST_MODULE grpc_adapter
#include <boost/test/unit_test.hpp>

#include <grpcpp/grpcpp.h>

#include <mutex>

#include "conformance/adapters/grpc_adapter.h"
#include "conformance/runner/run_context.h"
#include "zairyu/conformance/v1/client_under_test.grpc.pb.h"

namespace zc = zairyu::conformance;
namespace pb = zairyu::conformance::v1;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

// Records what the runner sent; answers per action.
class FakeClient final : public pb::ClientUnderTest::Service {
 public:
  grpc::Status GetInfo(grpc::ServerContext*, const pb::GetInfoRequest*,
                       pb::GetInfoResponse* response) override {
    response->set_vendor("ACME");
    response->set_product("ACME Apply");
    response->set_version("2.1");
    response->add_features("online.login");
    for (const char* action : {"login", "status", "broken", "crash"}) response->add_actions(action);
    return grpc::Status::OK;
  }
  grpc::Status Prepare(grpc::ServerContext*, const pb::PrepareRequest* request,
                       pb::PrepareResponse*) override {
    const std::lock_guard lock(mutex);
    prepared = *request;
    return grpc::Status::OK;
  }
  grpc::Status Execute(grpc::ServerContext*, const pb::ExecuteRequest* request,
                       pb::ExecuteResponse* response) override {
    const std::lock_guard lock(mutex);
    executed.push_back(*request);
    if (request->action() == "login") {
      response->set_ok(true);
      response->set_value_json(R"({"user_id": "U1", "category": "foreign_national"})");
    } else if (request->action() == "status") {
      response->set_ok(false);
      response->set_error("NOT_LOGGED_IN");
    } else if (request->action() == "broken") {
      response->set_ok(true);
      response->set_value_json("[1, 2]");
    } else {
      return grpc::Status(grpc::StatusCode::INTERNAL, "the client crashed");
    }
    return grpc::Status::OK;
  }
  grpc::Status Finish(grpc::ServerContext*, const pb::FinishRequest* request,
                      pb::FinishResponse*) override {
    const std::lock_guard lock(mutex);
    finished.push_back(request->run_id());
    return grpc::Status::OK;
  }

  std::mutex mutex;
  pb::PrepareRequest prepared;
  std::vector<pb::ExecuteRequest> executed;
  std::vector<std::string> finished;
};

struct Fixture {
  Fixture() {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&service);
    server = builder.BuildAndStart();
    connection =
        std::make_shared<zc::ClientUnderTestConnection>("127.0.0.1:" + std::to_string(port), 10s);
  }
  ~Fixture() { server->Shutdown(); }

  FakeClient service;
  int port = 0;
  std::unique_ptr<grpc::Server> server;
  std::shared_ptr<zc::ClientUnderTestConnection> connection;
};

zc::StepOutcome run(zc::Executor& executor, zc::RunContext& context, const std::string& action,
                    json args = json::object()) {
  context.set_step(context.step() + 1);
  return executor.execute(zc::Action{zc::ActionKind::kClient, action, std::move(args)}, context);
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(a_run_goes_through_prepare_execute_finish, Fixture) {
  BOOST_TEST(connection->info().product == "ACME Apply");
  zc::GrpcAdapterExecutor executor(
      zc::ClientTarget{"127.0.0.1:5000", "Reader 1", ZAIRYU_TEST_PERSONAS_DIR, "/suite"},
      connection, 1, 10s);
  BOOST_TEST(executor.supports("login"));
  BOOST_TEST(!executor.supports("apply"));
  BOOST_TEST(executor.features() == std::vector<std::string>{"online.login"});

  zc::Given given;
  zc::CardSetup card;
  card.persona = "adult-valid";
  given.cards.push_back(card);
  zc::RunContext context(42);
  executor.prepare(given, context);
  BOOST_TEST(service.prepared.run_id() == "w2-1");
  BOOST_TEST(service.prepared.server_address() == "127.0.0.1:5000");
  BOOST_TEST(service.prepared.reader() == "Reader 1");
  BOOST_TEST(service.prepared.seed() == "42");
  BOOST_TEST_REQUIRE(service.prepared.personas_size() == 1);
  BOOST_TEST(service.prepared.personas(0).auth_pin() == "1234");
  BOOST_TEST(service.prepared.personas(0).yaml().find("id: adult-valid") != std::string::npos);

  const zc::StepOutcome login = run(executor, context, "login", {{"password", "pw"}});
  BOOST_TEST_REQUIRE(login.ok());
  BOOST_TEST(login.value["user_id"] == "U1");
  BOOST_TEST(run(executor, context, "status").error == "NOT_LOGGED_IN");
  BOOST_TEST(run(executor, context, "broken").error == "ADAPTER_ERROR");
  const zc::StepOutcome crashed = run(executor, context, "crash");
  BOOST_TEST(crashed.error == "ADAPTER_ERROR");
  BOOST_TEST(crashed.message.find("INTERNAL the client crashed") != std::string::npos);

  BOOST_TEST_REQUIRE(service.executed.size() == 4u);
  BOOST_TEST(json::parse(service.executed[0].args_json()) == json({{"password", "pw"}}));
  BOOST_TEST(service.executed[0].persona_id() == "adult-valid");
  BOOST_TEST(service.executed[0].step() == 1u);
  // The login's user id is in the state of the next step.
  BOOST_TEST(json::parse(service.executed[1].state_json())["user_id"] == "U1");

  executor.finish(context);
  BOOST_TEST(service.finished == std::vector<std::string>{"w2-1"});
  std::size_t rpcs = 0;
  for (const zc::TraceEvent& event : context.trace()) {
    if (event.type == "rpc") {
      ++rpcs;
      BOOST_TEST(event.data.contains("start_us"));
    }
  }
  BOOST_TEST(rpcs == 6u);  // Prepare, 4 x Execute, Finish
}

BOOST_AUTO_TEST_CASE(no_service_is_a_clear_error) {
  try {
    zc::ClientUnderTestConnection("127.0.0.1:1", 300ms);
    BOOST_FAIL("connected to nothing");
  } catch (const std::runtime_error& e) {
    BOOST_TEST(std::string(e.what()).find("ClientUnderTest at 127.0.0.1:1: GetInfo: "
                                          "DEADLINE_EXCEEDED") != std::string::npos);
  }
}
