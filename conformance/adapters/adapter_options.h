// Options of `zairyu-conformance run` that choose what stands in for the
// client and for the card, kept out of cli/main.cpp:
//   --client in-process | command:FILE | grpc:ADDR   (--client-grpc ADDR)
//   --adapter-timeout SECONDS                         (gRPC calls)
//   --reader NAME [--reader NAME ...] [--reader-persona ID]
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "conformance/adapters/adapter_executor.h"

namespace CLI {
class App;
}

namespace zairyu::conformance {

class ClientUnderTestConnection;

struct ClientUnderTestOptions {
  std::string client = "in-process";
  std::string client_grpc;  // shorthand for --client grpc:ADDR
  double adapter_timeout = 120;
  std::vector<std::string> readers;
  std::string reader_persona;
};

void add_client_under_test_options(CLI::App& run, ClientUnderTestOptions& options);

// The client under test of one `run`, made after the options are parsed:
// loads the adapter file or connects to the ClientUnderTest service (and
// asks for its GetInfo). Throws std::invalid_argument / std::runtime_error
// with a clear message when the choice cannot work.
class ClientUnderTest {
 public:
  explicit ClientUnderTest(const ClientUnderTestOptions& options);
  ~ClientUnderTest();

  // True for our own engine (the caller makes its in-process executor).
  bool in_process() const { return kind_ == Kind::kInProcess; }
  // The adapter's declaration; nullptr in process.
  const AdapterInfo* info() const;
  // Checks the choices against --workers and --transport (an adapter's
  // client reads the card through PC/SC; --reader needs one reader per
  // worker); throws std::invalid_argument.
  void check(std::size_t workers, const std::string& transport) const;

  // With an adapter: puts worker `worker`'s adapter executor into `set` as
  // its client executor. `pcsc_readers` are the emulator's readers (ignored
  // under --reader); `server` the worker's online system.
  void add_client(ExecutorSet& set, std::size_t worker, const std::string& server,
                  const std::vector<std::string>& pcsc_readers, const std::string& personas_dir,
                  const std::filesystem::path& suite_dir) const;
  // A fresh adapter executor for one worker; nullptr in process.
  std::unique_ptr<Executor> make_executor(std::size_t worker, ClientTarget target) const;

  // --reader: the card executor of worker `worker` on its reader, or nullptr
  // without --reader.
  std::unique_ptr<Executor> make_reader_card_executor(std::size_t worker,
                                                      const std::string& personas_dir,
                                                      const std::string& pki_dir) const;
  bool uses_readers() const { return !readers_.empty(); }

 private:
  enum class Kind { kInProcess, kCommand, kGrpc };
  Kind kind_ = Kind::kInProcess;
  struct Command;
  std::unique_ptr<Command> command_;
  std::shared_ptr<ClientUnderTestConnection> grpc_;
  std::chrono::milliseconds deadline_;
  std::vector<std::string> readers_;
  std::string reader_persona_;
};

}  // namespace zairyu::conformance
