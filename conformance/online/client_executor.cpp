#include "conformance/online/client_executor.h"

#include "conformance/card/card_executor.h"
#include "conformance/online/client_actions.h"
#include "conformance/runner/run_context.h"
#include "zairyu/client/errors.h"
#include "zairyu/client/jpki_signer.h"

namespace zairyu::conformance {
namespace {

using nlohmann::json;

// Arguments as traced: secrets masked.
json traced_args(const json& args) {
  json out = args;
  for (const char* secret : {"pin", "password", "old", "new", "code"}) {
    if (out.contains(secret)) out[secret] = "***";
  }
  return out;
}

json violations_json(const std::vector<client::FieldViolation>& violations) {
  json out = json::array();
  for (const auto& v : violations)
    out.push_back({{"field", v.field}, {"description", v.description}});
  return out;
}

std::string pin_reason(const client::VerifyResult& result) {
  using Outcome = client::VerifyResult::Outcome;
  switch (result.outcome) {
    case Outcome::kBlocked:
      return "PIN_BLOCKED";
    case Outcome::kRefusedLastTry:
      return "PIN_LAST_TRY";
    default:
      return "PIN_WRONG";
  }
}

// Runs the action and turns every refusal into the step's error.
StepOutcome run(ClientRunState& state, const ClientAction& action, const json& raw_args) {
  StepOutcome outcome;
  try {
    outcome.value = action(state, ActionArgs(raw_args));
  } catch (const client::OnlineError& e) {
    outcome.error = e.reason().empty() ? e.code_name() : e.reason();
    outcome.message = e.what();
    outcome.value = {{"code", e.code_name()},
                     {"rule_id", e.rule_id()},
                     {"violations", violations_json(e.violations())}};
  } catch (const client::FormError& e) {
    outcome.error = "FORM_INVALID";
    outcome.message = e.what();
    outcome.value = {{"violations", violations_json(e.violations())}};
  } catch (const client::PinRefusedError& e) {
    outcome.error = pin_reason(e.result());
    outcome.message = e.what();
    outcome.value = {{"tries_left", e.result().tries_left ? json(*e.result().tries_left) : json()}};
  } catch (const BadArguments& e) {
    outcome.error = "BAD_ARGS";
    outcome.message = e.what();
  } catch (const client::PinFormatError& e) {
    outcome.error = "PIN_FORMAT";
    outcome.message = e.what();
  } catch (const std::invalid_argument& e) {
    // The client refused the request itself before sending it.
    outcome.error = "CLIENT_REFUSED";
    outcome.message = e.what();
  } catch (const client::CardRemovedError& e) {
    outcome.error = "CARD_REMOVED";
    outcome.message = e.what();
  } catch (const client::CardStatusError& e) {
    outcome.error = sw_reason(e.sw());
    outcome.message = e.what();
  } catch (const client::CardError& e) {
    outcome.error = "CARD_ERROR";
    outcome.message = e.what();
  }
  return outcome;
}

}  // namespace

struct ClientExecutor::State : ClientRunState {};

ClientExecutor::ClientExecutor(std::string address, CardExecutor& cards,
                               std::filesystem::path suite_dir)
    : address_(std::move(address)), cards_(cards), suite_dir_(std::move(suite_dir)) {}

ClientExecutor::~ClientExecutor() = default;

bool ClientExecutor::supports(std::string_view action) const {
  return client_actions().find(action) != client_actions().end();
}

std::vector<std::string> ClientExecutor::features() const {
  return {"online.register",    "online.login",    "online.apply",
          "online.attachments", "online.status",   "online.proof",
          "online.notify",      "online.password", "online.forwarded_for"};
}

void ClientExecutor::prepare(const Given& given, RunContext& context) {
  state_ = std::make_unique<State>();
  client::ServerOptions options;
  options.address = address_;
  state_->client = std::make_unique<client::OnlineClient>(options);
  state_->cards = &cards_;
  state_->suite_dir = given.base_dir.empty() ? suite_dir_ : given.base_dir;
  if (given.origin && !given.origin->ip.empty()) {
    state_->client->set_forwarded_for(given.origin->ip);
  }
  context.set_snapshot("client", {{"user_id", ""}, {"provisional_number", ""}});
}

StepOutcome ClientExecutor::execute(const Action& action, RunContext& context) {
  const auto it = client_actions().find(action.name);
  if (it == client_actions().end() || !state_) {
    return StepOutcome{"BAD_ARGS", "unknown client action " + action.name, json::object()};
  }
  state_->mailbox = [&context] {
    const json* outbox = context.snapshot("outbox");
    return outbox != nullptr ? *outbox : json::array();
  };
  const std::int64_t started = context.elapsed_us();
  StepOutcome outcome = run(*state_, it->second, action.args);
  context.add_rpc("client." + action.name, outcome.ok() ? "OK" : outcome.error,
                  traced_args(action.args), outcome.ok() ? outcome.value : json(outcome.message),
                  started);
  context.set_snapshot(
      "client", {{"user_id", state_->user_id}, {"provisional_number", state_->provisional_number}});
  return outcome;
}

void ClientExecutor::finish(RunContext&) { state_.reset(); }

}  // namespace zairyu::conformance
