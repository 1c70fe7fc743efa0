#include "conformance/online/control_executor.h"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>
#include <grpcpp/grpcpp.h>

#include <array>
#include <cctype>
#include <chrono>
#include <map>
#include <set>
#include <stdexcept>

#include "conformance/online/action_args.h"
#include "conformance/online/rpc_status.h"
#include "conformance/runner/run_context.h"
#include "emulator/card/bytes.h"
#include "zairyu/card/v1/card_control.grpc.pb.h"
#include "zairyu/emulator/v1/control.grpc.pb.h"

namespace zairyu::conformance {
namespace {

namespace pb = zairyu::emulator::v1;
namespace cardpb = zairyu::card::v1;
using nlohmann::json;
using namespace std::chrono_literals;

constexpr auto kRpcDeadline = 10s;

// The client reaches its emulator from loopback; "the client's address" in
// scenarios means these prefixes.
const std::vector<std::string> kClientPrefixes = {"127.0.0.0/8", "::1/128"};

// A control call that failed: the step's error is its reason.
class ControlCallError : public std::runtime_error {
 public:
  ControlCallError(std::string reason, const std::string& message)
      : std::runtime_error(message), reason_(std::move(reason)) {}
  const std::string& reason() const { return reason_; }

 private:
  std::string reason_;
};

json to_json(const google::protobuf::Message& message) {
  std::string text;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  if (!google::protobuf::util::MessageToJsonString(message, &text, options).ok()) return {};
  return json::parse(text, nullptr, false);
}

google::protobuf::Timestamp parse_time(const std::string& text) {
  google::protobuf::Timestamp time;
  if (!google::protobuf::util::TimeUtil::FromString(text, &time)) {
    throw BadArguments("not an RFC 3339 time with offset: " + text);
  }
  return time;
}

const std::map<std::string, pb::FaultAction> kFaultActions{{"status", pb::FAULT_ACTION_STATUS},
                                                           {"latency", pb::FAULT_ACTION_LATENCY},
                                                           {"drop", pb::FAULT_ACTION_DROP}};

const std::map<std::string, pb::Decision> kDecisions{
    {"approve", pb::DECISION_APPROVE},
    {"refuse", pb::DECISION_REFUSE},
    {"request_material", pb::DECISION_REQUEST_MATERIAL}};

template <typename T>
T choice(const ActionArgs& args, const char* name, const std::string& fallback,
         const std::map<std::string, T>& choices) {
  const std::string value = args.string(name, fallback);
  const auto it = choices.find(value);
  if (it == choices.end()) throw BadArguments(std::string(name) + ": unknown value " + value);
  return it->second;
}

// `fault.set` arguments and `given.faults` items as a Fault.
pb::Fault parse_fault(const json& item) {
  if (!item.is_object()) throw BadArguments("a fault is a mapping");
  for (const auto& [key, value] : item.items()) {
    static const std::set<std::string> kKnown{"rpc",    "nth",        "action",      "status",
                                              "reason", "latency_ms", "probability", "seed"};
    if (!kKnown.count(key)) throw BadArguments("unknown fault field " + key);
  }
  const ActionArgs args(item);
  pb::Fault fault;
  fault.set_method(args.required_string("rpc"));
  const long long nth = args.integer("nth", 0);
  if (nth < 0) throw BadArguments("nth must be >= 0");
  fault.set_nth(static_cast<std::uint32_t>(nth));
  fault.set_probability(args.number("probability", 0));
  fault.set_seed(static_cast<std::uint64_t>(args.integer("seed", 0)));
  fault.set_action(choice(args, "action", "status", kFaultActions));
  const std::string status = args.string("status", "UNAVAILABLE");
  const auto code = parse_code_name(status);
  if (!code) throw BadArguments("status: not a gRPC code name: " + status);
  fault.set_code(static_cast<int>(*code));
  fault.set_reason(args.string("reason", ""));
  const long long latency_ms = args.integer("latency_ms", 0);
  if (latency_ms < 0) throw BadArguments("latency_ms must be >= 0");
  *fault.mutable_latency() = google::protobuf::util::TimeUtil::MillisecondsToDuration(latency_ms);
  return fault;
}

}  // namespace

long long parse_duration_seconds(std::string_view text) {
  static constexpr std::string_view kUnits = "dhms";
  static constexpr std::array<long long, 4> kSeconds = {86400, 3600, 60, 1};
  long long total = 0;
  std::size_t next_unit = 0;  // units must come in order, each once
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t digits = i;
    while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
    const std::size_t unit =
        digits < text.size() ? kUnits.find(text[digits], next_unit) : std::string_view::npos;
    if (digits == i || digits - i > 9 || unit == std::string_view::npos) {
      throw std::invalid_argument("not a duration like 1d2h10m30s: " + std::string(text));
    }
    total += std::stoll(std::string(text.substr(i, digits - i))) * kSeconds[unit];
    next_unit = unit + 1;
    i = digits + 1;
  }
  if (total == 0) throw std::invalid_argument("a duration must be > 0: " + std::string(text));
  return total;
}

struct ControlExecutor::Stub {
  std::unique_ptr<pb::EmulatorControl::Stub> stub;
  std::unique_ptr<cardpb::CardControl::Stub> cards;

  template <typename Request, typename Response>
  Response call(const char* name,
                grpc::Status (pb::EmulatorControl::Stub::*method)(grpc::ClientContext*,
                                                                  const Request&, Response*),
                const Request& request, RunContext* context) {
    return invoke("EmulatorControl.", *stub, name, method, request, context);
  }

  // SetCertificateState of every card of `given` with certificate states;
  // returns the re-issued certificates (hex DER) by persona and "auth"/"sign".
  json set_certificate_states(const Given& given, RunContext& context) {
    static const std::map<std::string, cardpb::CertificateState> kStates{
        {"valid", cardpb::CERTIFICATE_STATE_VALID},
        {"expired", cardpb::CERTIFICATE_STATE_EXPIRED},
        {"not_yet_valid", cardpb::CERTIFICATE_STATE_NOT_YET_VALID},
        {"revoked", cardpb::CERTIFICATE_STATE_REVOKED}};
    json reissued = json::object();
    for (const CardSetup& card : given.cards) {
      for (const auto& [which, state] : card.certificates) {
        const auto known = kStates.find(state);
        if (known == kStates.end()) {
          throw BadArguments("personas[].certificates." + which + ": unknown state " + state);
        }
        cardpb::SetCertificateStateRequest request;
        request.set_persona_id(card.persona);
        request.set_certificate(which == "auth" ? cardpb::CERTIFICATE_AUTH
                                                : cardpb::CERTIFICATE_SIGN);
        request.set_state(known->second);
        const auto response =
            invoke("CardControl.", *cards, "SetCertificateState",
                   &cardpb::CardControl::Stub::SetCertificateState, request, &context);
        if (!response.certificate_der().empty()) {
          reissued[card.persona][which] = card::to_hex(card::ByteView(
              reinterpret_cast<const std::uint8_t*>(response.certificate_der().data()),
              response.certificate_der().size()));
        }
      }
    }
    return reissued;
  }

  // Runs one call with a deadline, traces it, throws ControlCallError on failure.
  template <typename Service, typename Request, typename Response>
  static Response invoke(const std::string& service, Service& rpc, const char* name,
                         grpc::Status (Service::*method)(grpc::ClientContext*, const Request&,
                                                         Response*),
                         const Request& request, RunContext* context) {
    grpc::ClientContext call_context;
    call_context.set_deadline(std::chrono::system_clock::now() + kRpcDeadline);
    Response response;
    const std::int64_t started = context != nullptr ? context->elapsed_us() : -1;
    const grpc::Status status = (rpc.*method)(&call_context, request, &response);
    if (context != nullptr) {
      context->add_rpc(service + name, status.ok() ? "OK" : code_name(status.error_code()),
                       to_json(request),
                       status.ok() ? to_json(response) : json(status.error_message()), started);
    }
    if (!status.ok()) {
      throw ControlCallError(status_reason(status), service + name + ": " + status.error_message());
    }
    return response;
  }

  void add_cidr(const std::string& cidr, const std::string& country, RunContext& context) {
    pb::AddCidrRequest request;
    request.mutable_entry()->set_cidr(cidr);
    request.mutable_entry()->set_country(country);
    call("AddCidr", &pb::EmulatorControl::Stub::AddCidr, request, &context);
  }

  void trust_client(bool trusted, RunContext& context) {
    pb::SetTrustedProxiesRequest request;
    if (trusted) {
      for (const std::string& prefix : kClientPrefixes) request.add_cidrs(prefix);
    }
    call("SetTrustedProxies", &pb::EmulatorControl::Stub::SetTrustedProxies, request, &context);
  }

  void set_fault(const json& item, RunContext& context) {
    pb::SetFaultRequest request;
    *request.mutable_fault() = parse_fault(item);
    call("SetFault", &pb::EmulatorControl::Stub::SetFault, request, &context);
  }
};

namespace {

using GrpcStub = pb::EmulatorControl::Stub;

json time_json(const pb::TimeResponse& time) { return {{"jst", time.jst()}}; }

json examiner_json(const pb::ExaminerApplication& a) {
  json procedures = json::array();
  for (const std::string& p : a.procedures()) procedures.push_back(p);
  return {{"provisional_number", a.provisional_number()},
          {"receipt_number", a.receipt_number()},
          {"state", a.state()},
          {"procedures", procedures},
          {"postal_address", a.postal_address()}};
}

// The application an examiner action is about: `application`, else the
// client's last one (snapshot "client").
std::string application_arg(const ActionArgs& args, const RunContext& context) {
  if (auto id = args.optional_string("application")) return *id;
  const json* client = context.snapshot("client");
  if (client != nullptr && client->is_object() && client->contains("provisional_number") &&
      (*client)["provisional_number"].is_string() &&
      !(*client)["provisional_number"].get<std::string>().empty()) {
    return (*client)["provisional_number"];
  }
  throw BadArguments("no application: give `application` or let the client apply first");
}

}  // namespace

ControlExecutor::ControlExecutor(const std::string& address, Executor* card)
    : stub_(std::make_unique<Stub>()), card_(card) {
  const auto channel = grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  stub_->stub = pb::EmulatorControl::NewStub(channel);
  stub_->cards = cardpb::CardControl::NewStub(channel);
}

ControlExecutor::~ControlExecutor() = default;

bool ControlExecutor::supports(std::string_view action) const {
  static const std::set<std::string, std::less<>> kActions{
      "clock.set",    "clock.advance", "rules.set",   "geo.set",
      "proxy.set",    "fault.set",     "fault.clear", "examiner.decide",
      "examiner.get", "org.approve",   "card.remove", "card.insert"};
  return kActions.count(action) > 0;
}

std::vector<std::string> ControlExecutor::features() const { return {}; }

void ControlExecutor::prepare(const Given& given, RunContext& context) {
  Stub& s = *stub_;
  s.call("Reset", &GrpcStub::Reset, pb::ResetRequest(), &context);
  s.call("LoadPersonas", &GrpcStub::LoadPersonas, pb::LoadPersonasRequest(), &context);
  try {
    if (given.clock) {
      pb::SetTimeRequest request;
      *request.mutable_time() = parse_time(*given.clock);
      s.call("SetTime", &GrpcStub::SetTime, request, &context);
    }
    if (given.rule_set_date) {
      pb::SetRuleSetDateRequest request;
      request.set_date(*given.rule_set_date);
      s.call("SetRuleSetDate", &GrpcStub::SetRuleSetDate, request, &context);
    }
    // After the clock: the states are relative to the virtual time. The card
    // executor (prepared next) puts the re-issued certificates on the cards.
    context.set_snapshot("certificates", s.set_certificate_states(given, context));
    if (given.origin) {
      const Origin& origin = *given.origin;
      if (!origin.ip.empty()) {
        // The client's forwarded address, through a trusted proxy; the geo
        // table decides its country.
        s.trust_client(true, context);
      } else {
        for (const std::string& prefix : kClientPrefixes) {
          s.add_cidr(prefix, origin.country, context);
        }
      }
    }
    for (const json& fault : given.faults) s.set_fault(fault, context);
  } catch (const BadArguments& e) {
    throw std::invalid_argument(std::string("given: ") + e.what());
  } catch (const ControlCallError& e) {
    throw std::runtime_error(std::string("given: ") + e.what() + " (" + e.reason() + ")");
  }
  observe(context);
}

StepOutcome ControlExecutor::execute(const Action& action, RunContext& context) {
  StepOutcome outcome;
  const ActionArgs args(action.args);
  Stub& s = *stub_;
  try {
    const std::string& name = action.name;
    if (name == "clock.set") {
      pb::SetTimeRequest request;
      *request.mutable_time() = parse_time(args.required_string("time"));
      outcome.value = time_json(s.call("SetTime", &GrpcStub::SetTime, request, &context));
    } else if (name == "clock.advance") {
      long long seconds = 0;
      try {
        seconds = parse_duration_seconds(args.required_string("by"));
      } catch (const std::invalid_argument& e) {
        throw BadArguments(std::string("by: ") + e.what());
      }
      pb::AdvanceTimeRequest request;
      request.mutable_duration()->set_seconds(seconds);
      outcome.value = time_json(s.call("AdvanceTime", &GrpcStub::AdvanceTime, request, &context));
    } else if (name == "rules.set") {
      pb::SetRuleSetDateRequest request;
      request.set_date(args.string("date", ""));
      const auto response = s.call("SetRuleSetDate", &GrpcStub::SetRuleSetDate, request, &context);
      outcome.value = {{"rule_set_date", response.rule_set_date()},
                       {"effective_date", response.effective_date()}};
    } else if (name == "geo.set") {
      const std::string country = args.required_string("country");
      if (auto cidr = args.optional_string("cidr")) {
        s.add_cidr(*cidr, country, context);
      } else {
        for (const std::string& prefix : kClientPrefixes) s.add_cidr(prefix, country, context);
      }
    } else if (name == "proxy.set") {
      if (!args.has("trusted")) throw BadArguments("missing argument trusted");
      s.trust_client(args.boolean("trusted", false), context);
    } else if (name == "fault.set") {
      s.set_fault(action.args, context);
    } else if (name == "fault.clear") {
      s.call("ClearFaults", &GrpcStub::ClearFaults, pb::ClearFaultsRequest(), &context);
    } else if (name == "examiner.decide") {
      pb::DecideApplicationRequest request;
      request.set_provisional_number(application_arg(args, context));
      request.set_decision(choice(args, "decision", "", kDecisions));
      request.set_note(args.string("note", ""));
      outcome.value = examiner_json(
          s.call("DecideApplication", &GrpcStub::DecideApplication, request, &context));
    } else if (name == "examiner.get") {
      pb::GetApplicationRequest request;
      request.set_provisional_number(application_arg(args, context));
      outcome.value =
          examiner_json(s.call("GetApplication", &GrpcStub::GetApplication, request, &context));
    } else if (name == "org.approve") {
      pb::SetOrganizationApprovalRequest request;
      request.set_organization_id(args.required_string("organization"));
      request.set_approved_on(args.required_string("approved_on"));
      if (args.has("reports")) {
        const json& reports = args.raw("reports");
        if (!reports.is_array()) throw BadArguments("reports must be a list of dates");
        for (const json& day : reports) {
          if (!day.is_string()) throw BadArguments("reports must be a list of dates");
          request.add_reports_approved_on(day.get<std::string>());
        }
      }
      const auto response =
          s.call("SetOrganizationApproval", &GrpcStub::SetOrganizationApproval, request, &context);
      outcome.value = {{"expires_on", response.expires_on()}};
    } else if (name == "card.remove" || name == "card.insert") {
      if (card_ == nullptr) throw BadArguments("no card executor in this worker");
      return card_->execute(Action{ActionKind::kCard, name.substr(5), action.args}, context);
    } else {
      throw BadArguments("unknown control action " + name);
    }
  } catch (const BadArguments& e) {
    outcome.error = "BAD_ARGS";
    outcome.message = e.what();
  } catch (const ControlCallError& e) {
    outcome.error = e.reason();
    outcome.message = e.what();
  }
  return outcome;
}

void ControlExecutor::observe(RunContext& context) {
  Stub& s = *stub_;
  const auto outbox = s.call("ListOutbox", &GrpcStub::ListOutbox, pb::ListOutboxRequest(), nullptr);
  json items = json::array();
  for (const pb::OutboxItem& item : outbox.items()) {
    items.push_back({{"to", item.to()},
                     {"subject", item.subject()},
                     {"body", item.body()},
                     {"channel", item.channel()},
                     {"kind", item.kind()}});
  }
  context.set_snapshot("outbox", std::move(items));

  grpc::ClientContext call_context;
  call_context.set_deadline(std::chrono::system_clock::now() + kRpcDeadline);
  pb::StreamAuditEventsRequest request;
  auto reader = s.stub->StreamAuditEvents(&call_context, request);
  json events = json::array();
  for (pb::AuditEvent event; reader->Read(&event);) {
    events.push_back(
        {{"event", event.kind()}, {"reason", event.detail()}, {"subject", event.subject_id()}});
  }
  if (const grpc::Status status = reader->Finish(); !status.ok()) {
    throw std::runtime_error("EmulatorControl.StreamAuditEvents: " + status.error_message());
  }
  context.set_snapshot("audit", std::move(events));
}

void ControlExecutor::finish(RunContext&) {}

}  // namespace zairyu::conformance
