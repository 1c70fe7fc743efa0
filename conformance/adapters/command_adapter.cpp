#include "conformance/adapters/command_adapter.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <set>
#include <stdexcept>

#include "conformance/adapters/command_process.h"
#include "conformance/adapters/command_template.h"
#include "conformance/runner/run_context.h"
#include "conformance/scenario/suite.h"

namespace zairyu::conformance {
namespace {

using nlohmann::json;

constexpr std::size_t kTracedOutput = 4000;  // bytes of stdout/stderr kept in the trace

const std::set<std::string, std::less<>> kPlaceholders{
    "reader",  "server",       "workdir",   "adapter_dir", "action",       "step",     "seed",
    "persona", "persona_file", "args_json", "args_file",   "request_file", "form_file"};
const std::set<std::string, std::less<>> kPins{"auth", "sign", "input_helper"};

bool known_placeholder(std::string_view name) {
  if (kPlaceholders.contains(name)) return true;
  if (name.starts_with("pin.")) return kPins.contains(name.substr(4));
  for (std::string_view prefix : {"arg.", "state."}) {
    if (name.starts_with(prefix) && name.size() > prefix.size()) return true;
  }
  return false;
}

// Errors of the adapter file, named "<file>: <field>: <problem>".
class SpecReader {
 public:
  explicit SpecReader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const std::string& field, const std::string& problem) const {
    throw std::invalid_argument(file_ + ": " + field + ": " + problem);
  }

  std::string string(const YAML::Node& node, const std::string& field) const {
    if (!node.IsScalar()) fail(field, "must be a string");
    return node.as<std::string>();
  }

  std::vector<std::string> strings(const YAML::Node& node, const std::string& field) const {
    if (!node.IsSequence()) fail(field, "must be a list of strings");
    std::vector<std::string> out;
    for (std::size_t i = 0; i < node.size(); ++i) {
      out.push_back(string(node[i], field + "[" + std::to_string(i) + "]"));
    }
    return out;
  }

  std::chrono::milliseconds seconds(const YAML::Node& node, const std::string& field) const {
    double value = 0;
    try {
      value = node.as<double>();
    } catch (const YAML::Exception&) {
      fail(field, "must be a number of seconds");
    }
    if (!(value > 0 && value <= 3600)) fail(field, "must be in (0, 3600] seconds");
    return std::chrono::milliseconds(static_cast<long long>(value * 1000));
  }

  void check_template(const std::string& text, const std::string& field) const {
    try {
      placeholders(text, known_placeholder);
    } catch (const TemplateError& e) {
      fail(field, e.what());
    }
  }

  void only(const YAML::Node& map, const std::set<std::string>& allowed,
            const std::string& field) const {
    if (!map.IsMap()) fail(field.empty() ? "(top)" : field, "must be a mapping");
    for (const auto& item : map) {
      const std::string key = item.first.as<std::string>();
      if (!allowed.contains(key)) fail(field.empty() ? key : field + "." + key, "unknown field");
    }
  }

  CommandTemplate command(const YAML::Node& node, const std::string& field) const {
    only(node, {"argv", "shell", "timeout"}, field);
    CommandTemplate out;
    if (node["argv"].IsDefined() == node["shell"].IsDefined()) {
      fail(field, "needs exactly one of argv (a list, no shell) and shell (a string)");
    }
    if (node["argv"]) {
      out.argv = strings(node["argv"], field + ".argv");
      if (out.argv.empty()) fail(field + ".argv", "must not be empty");
      for (std::size_t i = 0; i < out.argv.size(); ++i) {
        check_template(out.argv[i], field + ".argv[" + std::to_string(i) + "]");
      }
    } else {
      out.shell = string(node["shell"], field + ".shell");
      check_template(out.shell, field + ".shell");
    }
    if (node["timeout"]) out.timeout = seconds(node["timeout"], field + ".timeout");
    return out;
  }

 private:
  std::string file_;
};

// A scalar argument as text; nullopt for absent or structured ones.
std::optional<TemplateValue> scalar_text(const json& value) {
  if (value.is_string()) return TemplateValue{value.get<std::string>()};
  if (value.is_boolean() || value.is_number()) return TemplateValue{value.dump()};
  return std::nullopt;
}

std::string write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out.flush()) throw AdapterFailure("cannot write " + path.string());
  return path.string();
}

// Placeholder values for one command, from the request.
TemplateLookup lookup_for(const json& request, const std::filesystem::path& adapter_dir) {
  return [&request, adapter_dir](std::string_view name) -> std::optional<TemplateValue> {
    const json& run = request.at("run");
    const std::filesystem::path workdir = run.at("workdir").get<std::string>();
    const std::string step = request.contains("step") ? request["step"].dump() : "0";
    const json args = request.value("args", json::object());
    const json persona = request.value("persona", json());
    if (name == "reader" || name == "server" || name == "workdir" || name == "seed") {
      return TemplateValue{run.at(std::string(name)).get<std::string>()};
    }
    if (name == "adapter_dir") return TemplateValue{adapter_dir.string()};
    if (name == "action") return TemplateValue{request.value("action", std::string("prepare"))};
    if (name == "step") return TemplateValue{step};
    if (name == "persona" || name == "persona_file") {
      if (!persona.is_object()) return std::nullopt;
      return TemplateValue{persona.at(name == "persona" ? "id" : "file").get<std::string>()};
    }
    if (name.starts_with("pin.")) {
      if (!persona.is_object()) return std::nullopt;
      const json& pin = persona.at("pins").at(std::string(name.substr(4)));
      if (!pin.is_string()) return std::nullopt;
      return TemplateValue{pin.get<std::string>(), true};
    }
    if (name == "args_json") return TemplateValue{args.dump()};
    if (name == "args_file") {
      return TemplateValue{write_file(workdir / ("args-" + step + ".json"), args.dump(2) + "\n")};
    }
    if (name == "request_file") {
      return TemplateValue{
          write_file(workdir / ("request-" + step + ".json"), request.dump(2) + "\n")};
    }
    if (name == "form_file") {
      if (!args.contains("form")) return std::nullopt;
      return scalar_text(args["form"]);
    }
    if (name.starts_with("arg.")) {
      const std::string key(name.substr(4));
      return args.contains(key) ? scalar_text(args[key]) : std::nullopt;
    }
    const std::string key(name.substr(6));  // "state."
    const json& state = request.at("state");
    return state.contains(key) ? scalar_text(state[key]) : std::nullopt;
  };
}

std::string head(const std::string& text) {
  return text.size() <= kTracedOutput ? text : text.substr(0, kTracedOutput) + "…";
}

std::string tail(const std::string& text) {
  return text.size() <= kTracedOutput ? text : "…" + text.substr(text.size() - kTracedOutput);
}

}  // namespace

CommandAdapterSpec parse_command_adapter(std::string_view yaml, const std::filesystem::path& file) {
  const SpecReader r(file.string());
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    r.fail("(yaml)", e.what());
  }
  r.only(root,
         {"format", "vendor", "product", "version", "features", "timeout", "env", "prepare",
          "finish", "actions"},
         "");
  if (!root["format"] || r.string(root["format"], "format") != "zairyu-command-adapter/1") {
    r.fail("format", "must be zairyu-command-adapter/1");
  }
  CommandAdapterSpec spec;
  spec.dir = std::filesystem::absolute(file).parent_path();
  for (const char* field : {"vendor", "product", "version"}) {
    if (!root[field]) r.fail(field, "is required");
  }
  spec.info.vendor = r.string(root["vendor"], "vendor");
  spec.info.product = r.string(root["product"], "product");
  spec.info.version = r.string(root["version"], "version");
  if (root["features"]) spec.info.features = r.strings(root["features"], "features");
  if (root["timeout"]) spec.timeout = r.seconds(root["timeout"], "timeout");
  if (root["env"]) {
    if (!root["env"].IsMap()) r.fail("env", "must map variable names to templates");
    for (const auto& item : root["env"]) {
      const std::string name = item.first.as<std::string>();
      spec.env[name] = r.string(item.second, "env." + name);
      r.check_template(spec.env[name], "env." + name);
    }
  }
  if (root["prepare"]) spec.prepare = r.command(root["prepare"], "prepare");
  if (root["finish"]) spec.finish = r.command(root["finish"], "finish");
  if (!root["actions"] || !root["actions"].IsMap() || root["actions"].size() == 0) {
    r.fail("actions", "must map at least one client action to a command");
  }
  for (const auto& item : root["actions"]) {
    const std::string action = item.first.as<std::string>();
    spec.actions[action] = r.command(item.second, "actions." + action);
    spec.info.actions.insert(action);
  }
  return spec;
}

CommandAdapterSpec load_command_adapter(const std::filesystem::path& file) {
  return parse_command_adapter(read_text_file(file), file);
}

CommandAdapterExecutor::CommandAdapterExecutor(ClientTarget target, CommandAdapterSpec spec)
    : AdapterExecutor(std::move(target), spec.info), spec_(std::move(spec)) {}

AdapterReply CommandAdapterExecutor::run(const CommandTemplate& command, const json& request,
                                         const std::string& what, RunContext& context) {
  const std::int64_t started = context.elapsed_us();
  CommandSpec process;
  json traced_argv = json::array();
  try {
    const TemplateLookup lookup = lookup_for(request, spec_.dir);
    if (command.shell.empty()) {
      for (const std::string& arg : command.argv) {
        const Expanded e = expand_template(arg, lookup, false);
        process.argv.push_back(e.text);
        traced_argv.push_back(e.traced);
      }
    } else {
      const Expanded e = expand_template(command.shell, lookup, true);
      process.argv = {"/bin/sh", "-c", e.text};
      traced_argv = {"/bin/sh", "-c", e.traced};
    }
    for (const auto& [name, text] : spec_.env) {
      process.env[name] = expand_template(text, lookup, false).text;
    }
  } catch (const TemplateError& e) {
    throw AdapterFailure(what + ": " + e.what());
  }
  process.cwd = request.at("run").at("workdir").get<std::string>();
  process.timeout = command.timeout.value_or(spec_.timeout);

  const CommandResult result = run_command(process);
  const std::string status = result.status(process);
  json env_names = json::array();
  for (const auto& [name, text] : process.env) env_names.push_back(name);
  json response{{"stdout", head(result.out)},
                {"stderr", tail(result.err)},
                {"duration_us", result.duration.count()}};
  context.add_rpc("adapter " + what, status,
                  {{"argv", traced_argv}, {"env", env_names}, {"cwd", process.cwd.string()}},
                  std::move(response), started);
  if (result.timed_out || result.output_overflow || result.exec_failed || result.signal != 0) {
    throw AdapterFailure(what + ": " + status +
                         (result.err.empty() ? "" : ": " + tail(result.err)));
  }
  try {
    return parse_adapter_reply(result.out);
  } catch (const std::invalid_argument& e) {
    throw AdapterFailure(what + ": " + status + ", stdout is no result JSON (" + e.what() +
                         "): " + head(result.out));
  }
}

void CommandAdapterExecutor::begin_run(const json& run, RunContext& context) {
  run_ = run;
  if (!spec_.prepare) return;
  const json request{{"format", "zairyu-client-request/1"},
                     {"action", "prepare"},
                     {"state", json::object()},
                     {"run", run_}};
  const AdapterReply reply = this->run(*spec_.prepare, request, "prepare", context);
  if (!reply.ok) throw std::runtime_error("adapter prepare: " + reply.error + " " + reply.message);
}

AdapterReply CommandAdapterExecutor::invoke(const json& request, RunContext& context) {
  return run(spec_.actions.at(request.at("action").get<std::string>()), request,
             request.at("action").get<std::string>(), context);
}

void CommandAdapterExecutor::end_run(RunContext& context) {
  if (!spec_.finish) return;
  const json request{{"format", "zairyu-client-request/1"},
                     {"action", "finish"},
                     {"state", json::object()},
                     {"run", run_}};
  const AdapterReply reply = run(*spec_.finish, request, "finish", context);
  if (!reply.ok) context.add_note("adapter finish: " + reply.error + " " + reply.message);
}

}  // namespace zairyu::conformance
