// The command adapter: a vendor's client driven through command lines. An
// adapter file (YAML, adapters/README.md) maps each client action to a
// command template; the runner fills it in, runs it (no shell unless the
// template asks for one), and reads the JSON result from its stdout.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "conformance/adapters/adapter_executor.h"

namespace zairyu::conformance {

// One command: `argv` (run directly) or `shell` (run by /bin/sh -c, every
// substituted value shell-quoted); never both.
struct CommandTemplate {
  std::vector<std::string> argv;
  std::string shell;
  std::optional<std::chrono::milliseconds> timeout;
};

struct CommandAdapterSpec {
  AdapterInfo info;                           // actions = the keys of `actions`
  std::filesystem::path dir;                  // {adapter_dir}: the file's directory
  std::chrono::milliseconds timeout{30'000};  // per command unless it sets its own
  std::map<std::string, std::string> env;     // name -> template
  std::optional<CommandTemplate> prepare;     // before each run's first step
  std::optional<CommandTemplate> finish;      // after each run
  std::map<std::string, CommandTemplate> actions;
};

// Parses an adapter file; `file` names it in errors and gives {adapter_dir}.
// Throws std::invalid_argument "<file>: <field>: <problem>" for anything
// malformed, including a template with an unknown placeholder.
CommandAdapterSpec parse_command_adapter(std::string_view yaml, const std::filesystem::path& file);
CommandAdapterSpec load_command_adapter(const std::filesystem::path& file);

class CommandAdapterExecutor final : public AdapterExecutor {
 public:
  CommandAdapterExecutor(ClientTarget target, CommandAdapterSpec spec);

 private:
  void begin_run(const nlohmann::json& run, RunContext& context) override;
  AdapterReply invoke(const nlohmann::json& request, RunContext& context) override;
  void end_run(RunContext& context) override;

  // Runs `command` for `request`; `what` names it in the trace.
  AdapterReply run(const CommandTemplate& command, const nlohmann::json& request,
                   const std::string& what, RunContext& context);

  CommandAdapterSpec spec_;
  nlohmann::json run_;  // the request's run part, for prepare/finish
};

}  // namespace zairyu::conformance
