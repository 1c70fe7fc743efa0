// AdapterExecutor: the `client` action kind carried out by a vendor's client
// through an adapter (a command template or a ClientUnderTest gRPC service).
// It owns what both adapter kinds share: the declared product and features,
// the run's personas and the state earlier steps left (user id, password,
// last application), the request every action gets, and the mapping of the
// adapter's reply to a StepOutcome. The contract is in adapters/README.md.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "conformance/runner/executor.h"

namespace zairyu::conformance {

// Where the client under test works, per worker.
struct ClientTarget {
  std::string server;                  // host:port of the online system
  std::string reader;                  // the worker's PC/SC reader; "" without one
  std::filesystem::path personas_dir;  // persona files (fixtures/personas)
  std::filesystem::path suite_dir;     // relative `form` files, unless given.base_dir
};

// What the adapter says about itself (GetInfo, or the adapter file).
struct AdapterInfo {
  std::string vendor;
  std::string product;
  std::string version;
  std::vector<std::string> features;
  std::set<std::string> actions;  // the client actions it maps
};

// The adapter's answer to one action.
struct AdapterReply {
  bool ok = false;
  std::string error;    // reason when !ok ("ACCESS_FROM_OUTSIDE_JAPAN")
  std::string message;  // free text
  nlohmann::json value = nlohmann::json::object();
};

// Parses the result JSON an adapter prints: {"ok": true, "value": {...}} or
// {"ok": false, "error": "REASON", "message": "..."}. Throws
// std::invalid_argument naming what is wrong.
AdapterReply parse_adapter_reply(const std::string& text);

class AdapterExecutor : public Executor {
 public:
  bool supports(std::string_view action) const override;
  std::vector<std::string> features() const override { return info_.features; }
  // A run whose origin is an address forwarded by a trusted proxy needs a
  // client that sends it: SKIPPED unless the adapter claims
  // online.forwarded_for.
  std::string skip_reason(const Variant& variant) const override;
  void prepare(const Given& given, RunContext& context) override;
  StepOutcome execute(const Action& action, RunContext& context) override;
  void finish(RunContext& context) override;

  const AdapterInfo& info() const { return info_; }

 protected:
  AdapterExecutor(ClientTarget target, AdapterInfo info);

  // A run begins: `run` is the request's common part (target, personas,
  // workdir). Default: nothing.
  virtual void begin_run(const nlohmann::json& run, RunContext& context);
  // Carries out one action; `request` is documented in adapters/README.md.
  // Adapter failures (no answer, malformed JSON, time-out) throw
  // AdapterFailure; the step then fails with ADAPTER_ERROR.
  virtual AdapterReply invoke(const nlohmann::json& request, RunContext& context) = 0;
  // The run ended (after every step, also after a failure). Default: nothing.
  virtual void end_run(RunContext& context);

  const ClientTarget& target() const { return target_; }
  const std::filesystem::path& workdir() const { return workdir_; }

 private:
  const nlohmann::json& persona_json(const std::string& id);
  nlohmann::json resolve_args(const Action& action, std::size_t step);
  void remember(const Action& action, const AdapterReply& reply);
  // The `client` snapshot {user_id, provisional_number}, as our in-process
  // client executor publishes it (the control executor's defaults).
  void publish_state(RunContext& context) const;

  ClientTarget target_;
  AdapterInfo info_;
  std::filesystem::path workdir_;                   // per run, removed by finish()
  nlohmann::json run_;                              // target, personas, workdir, seed
  nlohmann::json state_;                            // user_id, password, provisional_number
  std::string default_persona_;                     // the first card of `given`
  std::filesystem::path base_dir_;                  // the run's relative forms resolve here
  std::map<std::string, nlohmann::json> personas_;  // cache: id -> persona_json
};

// The adapter broke the contract (as opposed to the client refusing).
class AdapterFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace zairyu::conformance
