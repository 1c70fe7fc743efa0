#include "conformance/adapters/adapter_executor.h"

#include <stdlib.h>

#include <algorithm>
#include <fstream>
#include <stdexcept>

#include "conformance/online/client_actions.h"
#include "conformance/runner/run_context.h"
#include "emulator/persona/persona.h"

namespace zairyu::conformance {
namespace {

using nlohmann::json;

std::filesystem::path make_workdir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = (std::filesystem::path(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") /
                         "zairyu-adapter-XXXXXX")
                            .string();
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("cannot make an adapter work directory " + pattern);
  }
  return pattern;
}

void write_json(const std::filesystem::path& path, const json& value) {
  std::ofstream out(path, std::ios::binary);
  out << value.dump(2) << "\n";
  if (!out.flush()) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace

AdapterReply parse_adapter_reply(const std::string& text) {
  const json reply = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (reply.is_discarded()) throw std::invalid_argument("not JSON");
  if (!reply.is_object()) throw std::invalid_argument("not a JSON object");
  for (const auto& [key, value] : reply.items()) {
    if (key != "ok" && key != "error" && key != "message" && key != "value") {
      throw std::invalid_argument("unknown member \"" + key + "\"");
    }
  }
  if (!reply.contains("ok") || !reply["ok"].is_boolean()) {
    throw std::invalid_argument("\"ok\" must be true or false");
  }
  AdapterReply out;
  out.ok = reply["ok"];
  if (reply.contains("error")) {
    if (!reply["error"].is_string()) throw std::invalid_argument("\"error\" must be a string");
    out.error = reply["error"];
  }
  if (reply.contains("message")) {
    if (!reply["message"].is_string()) throw std::invalid_argument("\"message\" must be a string");
    out.message = reply["message"];
  }
  if (reply.contains("value")) {
    if (!reply["value"].is_object()) throw std::invalid_argument("\"value\" must be an object");
    out.value = reply["value"];
  }
  if (out.ok && !out.error.empty()) throw std::invalid_argument("\"ok\": true with an \"error\"");
  if (!out.ok && out.error.empty()) throw std::invalid_argument("\"ok\": false needs an \"error\"");
  return out;
}

AdapterExecutor::AdapterExecutor(ClientTarget target, AdapterInfo info)
    : target_(std::move(target)), info_(std::move(info)) {}

bool AdapterExecutor::supports(std::string_view action) const {
  return info_.actions.contains(std::string(action));
}

std::string AdapterExecutor::skip_reason(const Variant& variant) const {
  const bool forwarded = variant.given.origin && !variant.given.origin->ip.empty();
  const auto& f = info_.features;
  if (forwarded && std::find(f.begin(), f.end(), "online.forwarded_for") == f.end()) {
    return "given.origin.ip needs a client that sends forwarded-for (online.forwarded_for), "
           "which " +
           info_.product + " does not claim";
  }
  return {};
}

const json& AdapterExecutor::persona_json(const std::string& id) {
  auto& cached = personas_[id];
  if (cached.is_null()) {
    const std::filesystem::path file = target_.personas_dir / (id + ".yaml");
    const persona::Persona p = persona::load_persona_file(file);
    cached = {{"id", id},
              {"file", std::filesystem::absolute(file).string()},
              {"email", p.email},
              {"residence_card_number", p.residence_card_number},
              {"pins",
               {{"auth", p.pins.auth},
                {"sign", p.pins.sign ? json(*p.pins.sign) : json(nullptr)},
                {"input_helper", p.pins.input_helper}}}};
  }
  return cached;
}

void AdapterExecutor::prepare(const Given& given, RunContext& context) {
  workdir_ = make_workdir();
  state_ = json::object();
  json personas = json::array();
  for (const CardSetup& card : given.cards) {
    json p = persona_json(card.persona);
    p["slot"] = card.slot;
    personas.push_back(std::move(p));
  }
  default_persona_ = given.cards.empty() ? "" : given.cards.front().persona;
  base_dir_ = given.base_dir.empty() ? target_.suite_dir : given.base_dir;
  run_ = {{"server", target_.server},
          {"reader", target_.reader},
          {"workdir", workdir_.string()},
          {"seed", std::to_string(context.seed())},
          {"personas", std::move(personas)}};
  begin_run(run_, context);
  publish_state(context);
}

json AdapterExecutor::resolve_args(const Action& action, std::size_t step) {
  json args = action.args;
  if (args.contains("form")) {
    const json& form = args["form"];
    if (form.is_string()) {
      std::filesystem::path path = form.get<std::string>();
      if (path.is_relative()) path = base_dir_ / path;
      args["form"] = path.lexically_normal().string();
    } else if (form.is_object()) {
      const std::filesystem::path path = workdir_ / ("form-" + std::to_string(step) + ".json");
      write_json(path, form);
      args["form"] = path.string();
    }
  }
  return args;
}

StepOutcome AdapterExecutor::execute(const Action& action, RunContext& context) {
  StepOutcome outcome;
  json request{{"format", "zairyu-client-request/1"},
               {"action", action.name},
               {"step", context.step()},
               {"state", state_},
               {"run", run_}};
  try {
    request["args"] = resolve_args(action, context.step());
    const std::string persona =
        action.args.contains("persona") && action.args["persona"].is_string()
            ? action.args["persona"].get<std::string>()
            : default_persona_;
    request["persona"] = persona.empty() ? json(nullptr) : persona_json(persona);
  } catch (const std::exception& e) {
    outcome.error = "BAD_ARGS";
    outcome.message = e.what();
    return outcome;
  }
  try {
    const AdapterReply reply = invoke(request, context);
    remember(action, reply);
    publish_state(context);
    outcome.value = reply.value;
    outcome.message = reply.message;
    if (!reply.ok) outcome.error = reply.error;
  } catch (const AdapterFailure& e) {
    outcome.error = "ADAPTER_ERROR";
    outcome.message = e.what();
  }
  return outcome;
}

void AdapterExecutor::remember(const Action& action, const AdapterReply& reply) {
  if (!reply.ok) return;
  for (const char* key : {"user_id", "provisional_number"}) {
    if (reply.value.contains(key) && reply.value[key].is_string()) state_[key] = reply.value[key];
  }
  if (action.name == "register") {
    state_["password"] =
        action.args.contains("password") ? action.args["password"] : json(kDefaultPassword);
  } else if (action.name == "password.change" && action.args.contains("new")) {
    state_["password"] = action.args["new"];
  }
}

void AdapterExecutor::publish_state(RunContext& context) const {
  context.set_snapshot("client", {{"user_id", state_.value("user_id", "")},
                                  {"provisional_number", state_.value("provisional_number", "")}});
}

void AdapterExecutor::finish(RunContext& context) {
  try {
    end_run(context);
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove_all(workdir_, ignored);
    throw;
  }
  std::error_code ignored;
  std::filesystem::remove_all(workdir_, ignored);
}

void AdapterExecutor::begin_run(const json&, RunContext&) {}
void AdapterExecutor::end_run(RunContext&) {}

}  // namespace zairyu::conformance
