#include "conformance/adapters/adapter_options.h"

#include <CLI/CLI.hpp>

#include <stdexcept>

#include "conformance/adapters/command_adapter.h"
#include "conformance/adapters/grpc_adapter.h"
#include "conformance/card/reader_card_executor.h"

namespace zairyu::conformance {

struct ClientUnderTest::Command {
  CommandAdapterSpec spec;
};

void add_client_under_test_options(CLI::App& run, ClientUnderTestOptions& options) {
  run.add_option(
      "--client", options.client,
      "client under test: in-process (our engine), command:ADAPTER.yaml or grpc:HOST:PORT "
      "(conformance/adapters/README.md)");
  run.add_option("--client-grpc", options.client_grpc,
                 "same as --client grpc:ADDR: a ClientUnderTest gRPC service");
  run.add_option("--adapter-timeout", options.adapter_timeout,
                 "seconds a ClientUnderTest call may take")
      ->check(CLI::Range(1.0, 3600.0));
  run.add_option("--reader", options.readers,
                 "card suite against this PC/SC reader's card (repeat for more workers): no "
                 "emulator, no CardControl; runs that need CardControl are SKIPPED");
  run.add_option(
      "--reader-persona", options.reader_persona,
      "--reader: the persona the card was issued as; runs of other personas are SKIPPED");
}

ClientUnderTest::ClientUnderTest(const ClientUnderTestOptions& options)
    : deadline_(static_cast<long long>(options.adapter_timeout * 1000)),
      readers_(options.readers),
      reader_persona_(options.reader_persona) {
  if (!reader_persona_.empty() && readers_.empty()) {
    throw std::invalid_argument("--reader-persona goes with --reader");
  }
  std::string client = options.client;
  if (!options.client_grpc.empty()) {
    if (client != "in-process")
      throw std::invalid_argument("give --client or --client-grpc, not both");
    client = "grpc:" + options.client_grpc;
  }
  if (client == "in-process") return;
  if (client.starts_with("command:") && client.size() > 8) {
    kind_ = Kind::kCommand;
    command_ = std::make_unique<Command>(Command{load_command_adapter(client.substr(8))});
  } else if (client.starts_with("grpc:") && client.size() > 5) {
    kind_ = Kind::kGrpc;
    grpc_ = std::make_shared<ClientUnderTestConnection>(client.substr(5), deadline_);
  } else {
    throw std::invalid_argument(
        "--client must be in-process, command:FILE or grpc:HOST:PORT, not '" + client + "'");
  }
}

ClientUnderTest::~ClientUnderTest() = default;

const AdapterInfo* ClientUnderTest::info() const {
  if (command_) return &command_->spec.info;
  if (grpc_) return &grpc_->info();
  return nullptr;
}

std::unique_ptr<Executor> ClientUnderTest::make_executor(std::size_t worker,
                                                         ClientTarget target) const {
  switch (kind_) {
    case Kind::kInProcess:
      return nullptr;
    case Kind::kCommand:
      return std::make_unique<CommandAdapterExecutor>(std::move(target), command_->spec);
    case Kind::kGrpc:
      return std::make_unique<GrpcAdapterExecutor>(std::move(target), grpc_, worker, deadline_);
  }
  return nullptr;
}

void ClientUnderTest::check(std::size_t workers, const std::string& transport) const {
  if (!in_process() && transport != "pcsc") {
    throw std::invalid_argument(
        "a client adapter's client reads the card through PC/SC: use --transport pcsc");
  }
  if (readers_.empty()) return;
  if (transport != "pcsc") throw std::invalid_argument("--reader needs --transport pcsc");
  if (readers_.size() < workers) {
    throw std::invalid_argument(std::to_string(workers) + " workers need " +
                                std::to_string(workers) + " --reader options (one card each)");
  }
}

void ClientUnderTest::add_client(ExecutorSet& set, std::size_t worker, const std::string& server,
                                 const std::vector<std::string>& pcsc_readers,
                                 const std::string& personas_dir,
                                 const std::filesystem::path& suite_dir) const {
  if (in_process()) return;
  const std::vector<std::string>& readers = readers_.empty() ? pcsc_readers : readers_;
  set[ActionKind::kClient] =
      make_executor(worker, ClientTarget{server, readers.at(worker), personas_dir, suite_dir});
}

std::unique_ptr<Executor> ClientUnderTest::make_reader_card_executor(
    std::size_t worker, const std::string& personas_dir, const std::string& pki_dir) const {
  if (readers_.empty()) return nullptr;
  return std::make_unique<ReaderCardExecutor>(personas_dir, pki_dir, readers_.at(worker),
                                              reader_persona_);
}

}  // namespace zairyu::conformance
