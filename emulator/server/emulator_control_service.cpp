#include "emulator/server/emulator_control_service.h"

#include <google/protobuf/util/time_util.h>

#include <chrono>
#include <ctime>
#include <map>
#include <thread>
#include <utility>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "emulator/online/jst.h"
#include "emulator/persona/persona.h"
#include "emulator/server/control_call.h"

namespace zairyu::server {
namespace pb = ::zairyu::emulator::v1;
namespace {

using google::protobuf::util::TimeUtil;

// How often a following StreamAuditEvents looks for new events.
constexpr std::chrono::milliseconds kStreamPoll{100};
constexpr std::chrono::milliseconds kMaxLatency{60'000};

google::protobuf::Timestamp timestamp(online::Instant t) {
  return TimeUtil::SecondsToTimestamp(t.time_since_epoch().count());
}

online::Instant instant(const google::protobuf::Timestamp& t) {
  return online::Instant(std::chrono::seconds(TimeUtil::TimestampToSeconds(t)));
}

// "2027-04-01T10:00:00+09:00".
std::string jst_text(online::Instant t) {
  const std::time_t jst = (t + online::kJstOffset).time_since_epoch().count();
  std::tm tm{};
  gmtime_r(&jst, &tm);
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}+09:00", tm);
}

void time_response(const SteerableClock& clock, pb::TimeResponse& out) {
  const online::Instant now = clock.Now();
  *out.mutable_time() = timestamp(now);
  out.set_jst(jst_text(now));
  out.set_following_real_time(clock.following());
}

void rule_set_response(OnlineBackend& online, pb::RuleSetDateResponse& out) {
  const auto pinned = online.rules().rule_set_date();
  if (pinned) out.set_rule_set_date(online::FormatDate(*pinned));
  out.set_effective_date(
      online::FormatDate(online.rules().RulesOn(online::JstDate(online.clock().Now()))));
}

void geo_response(const OnlineBackend& online, pb::GeoTable& out) {
  for (const auto& e : online.geo_entries()) {
    auto* entry = out.add_entries();
    entry->set_cidr(e.prefix.ToString());
    entry->set_country(e.country);
  }
}

online::Cidr cidr(const std::string& text, const std::string& field) {
  const auto parsed = online::ParseCidr(text);
  if (!parsed) throw invalid_field("CIDR_INVALID", field, "must be a CIDR such as 203.0.113.0/24");
  return *parsed;
}

online::Date date(const std::string& text, const std::string& field) {
  const auto parsed = persona::parse_iso_date(text);
  if (!parsed) throw invalid_field("REQUEST_INVALID", field, "must be a date YYYY-MM-DD");
  return *parsed;
}

// A rejection of the online core as a ControlError (same reason and rule).
ControlError control_error(const online::Rejection& r) {
  ControlError::Kind kind = ControlError::Kind::kFailedPrecondition;
  if (r.category == online::ErrorCategory::kInvalidArgument) {
    kind = ControlError::Kind::kInvalidArgument;
  } else if (r.category == online::ErrorCategory::kNotFound) {
    kind = ControlError::Kind::kNotFound;
  }
  std::vector<FieldViolation> violations;
  for (const auto& v : r.field_violations) violations.push_back({v.field, v.description});
  std::map<std::string, std::string> metadata;
  if (!r.rule_id.empty()) metadata["rule_id"] = r.rule_id;
  return ControlError(kind, r.reason, r.message, std::move(metadata), std::move(violations));
}

void to_proto(const online::ApplicationRecord& a, pb::ExaminerApplication& out) {
  out.set_provisional_number(a.id);
  out.set_receipt_number(a.receipt_number.value_or(""));
  out.set_state(std::string(online::StateName(a.state)));
  out.set_user_id(a.user_id);
  out.set_user_email(a.user_email);
  for (const auto p : a.request.procedures)
    out.add_procedures(std::string(online::ProcedureName(p)));
  *out.mutable_submitted_at() = timestamp(a.submitted_at);
  *out.mutable_receipt_due_at() = timestamp(a.receipt_due_at);
  if (a.decided_at) *out.mutable_decided_at() = timestamp(*a.decided_at);
  out.set_postal_address(a.postal_address);
}

void to_proto(const SnapshotSummary& s, pb::SnapshotInfo& out) {
  out.set_name(s.name);
  *out.mutable_virtual_time() = timestamp(s.virtual_time);
  out.set_accounts(static_cast<int>(s.accounts));
  out.set_applications(static_cast<int>(s.applications));
  out.set_notifications(static_cast<int>(s.notifications));
  out.set_outbox_items(static_cast<int>(s.outbox_items));
}

const std::string& snapshot_name(const std::string& name) {
  if (name.empty()) throw invalid_field("REQUEST_INVALID", "name", "is required");
  return name;
}

ControlError snapshot_not_found(const std::string& name) {
  return ControlError(ControlError::Kind::kNotFound, "SNAPSHOT_NOT_FOUND",
                      "no snapshot named '" + name + "'");
}

OnlineFault to_core(const pb::SetFaultRequest& request) {
  if (!request.has_fault()) throw invalid_field("FAULT_INVALID", "fault", "is required");
  const pb::Fault& f = request.fault();
  OnlineFault fault;
  if (f.method().empty()) throw invalid_field("FAULT_INVALID", "fault.method", "is required");
  fault.method = f.method();
  fault.nth = f.nth();
  if (f.probability() < 0 || f.probability() > 1) {
    throw invalid_field("FAULT_INVALID", "fault.probability", "must be in [0, 1]");
  }
  fault.probability = f.probability() == 0 ? 1.0 : f.probability();
  fault.seed = f.seed();
  switch (f.action()) {
    case pb::FAULT_ACTION_STATUS:
      fault.action = OnlineFault::Action::kStatus;
      if (f.code() < 1 || f.code() > 16) {
        throw invalid_field("FAULT_INVALID", "fault.code", "must be a gRPC error code 1-16");
      }
      fault.code = f.code();
      fault.reason = f.reason().empty() ? "INJECTED_FAULT" : f.reason();
      break;
    case pb::FAULT_ACTION_LATENCY: {
      fault.action = OnlineFault::Action::kLatency;
      const auto ms = TimeUtil::DurationToMilliseconds(f.latency());
      if (ms <= 0 || ms > kMaxLatency.count()) {
        throw invalid_field("FAULT_INVALID", "fault.latency", "must be > 0 and <= 60 s");
      }
      fault.latency = std::chrono::milliseconds(ms);
      break;
    }
    case pb::FAULT_ACTION_DROP:
      fault.action = OnlineFault::Action::kDrop;
      break;
    default:
      throw invalid_field("FAULT_INVALID", "fault.action", "must name an action");
  }
  return fault;
}

online::Decision to_core(pb::Decision d) {
  switch (d) {
    case pb::DECISION_APPROVE:
      return online::Decision::kApprove;
    case pb::DECISION_REFUSE:
      return online::Decision::kRefuse;
    case pb::DECISION_REQUEST_MATERIAL:
      return online::Decision::kRequestMaterial;
    default:
      throw invalid_field("REQUEST_INVALID", "decision", "must name a decision");
  }
}

}  // namespace

EmulatorControlService::EmulatorControlService(Environment& environment,
                                               std::optional<std::string> control_token)
    : environment_(environment),
      online_(environment.online()),
      control_token_(std::move(control_token)) {}

template <typename Body>
grpc::Status EmulatorControlService::handle(const char* method, grpc::ServerContext& context,
                                            Body&& body) {
  return control_call("EmulatorControl", method, context, control_token_, std::forward<Body>(body));
}

grpc::Status EmulatorControlService::Reset(grpc::ServerContext* context, const pb::ResetRequest*,
                                           pb::ResetResponse* response) {
  return handle("Reset", *context, [&] {
    for (const auto& name : environment_.reset()) response->add_components(name);
  });
}

grpc::Status EmulatorControlService::GetTime(grpc::ServerContext* context,
                                             const pb::GetTimeRequest*,
                                             pb::TimeResponse* response) {
  return handle("GetTime", *context, [&] { time_response(online_.clock(), *response); });
}

grpc::Status EmulatorControlService::SetTime(grpc::ServerContext* context,
                                             const pb::SetTimeRequest* request,
                                             pb::TimeResponse* response) {
  return handle("SetTime", *context, [&] {
    if (!request->has_time()) throw invalid_field("REQUEST_INVALID", "time", "is required");
    online_.clock().Set(instant(request->time()));
    online_.process_due();
    time_response(online_.clock(), *response);
  });
}

grpc::Status EmulatorControlService::AdvanceTime(grpc::ServerContext* context,
                                                 const pb::AdvanceTimeRequest* request,
                                                 pb::TimeResponse* response) {
  return handle("AdvanceTime", *context, [&] {
    const auto seconds = TimeUtil::DurationToSeconds(request->duration());
    if (seconds <= 0) throw invalid_field("REQUEST_INVALID", "duration", "must be > 0 s");
    online_.clock().Advance(std::chrono::seconds(seconds));
    online_.process_due();
    time_response(online_.clock(), *response);
  });
}

grpc::Status EmulatorControlService::FollowRealTime(grpc::ServerContext* context,
                                                    const pb::FollowRealTimeRequest*,
                                                    pb::TimeResponse* response) {
  return handle("FollowRealTime", *context, [&] {
    online_.clock().FollowRealTime();
    time_response(online_.clock(), *response);
  });
}

grpc::Status EmulatorControlService::SetRuleSetDate(grpc::ServerContext* context,
                                                    const pb::SetRuleSetDateRequest* request,
                                                    pb::RuleSetDateResponse* response) {
  return handle("SetRuleSetDate", *context, [&] {
    std::optional<online::Date> pinned;
    if (!request->date().empty()) pinned = date(request->date(), "date");
    online_.rules().SetRuleSetDate(pinned);
    rule_set_response(online_, *response);
  });
}

grpc::Status EmulatorControlService::GetRuleSetDate(grpc::ServerContext* context,
                                                    const pb::GetRuleSetDateRequest*,
                                                    pb::RuleSetDateResponse* response) {
  return handle("GetRuleSetDate", *context, [&] { rule_set_response(online_, *response); });
}

grpc::Status EmulatorControlService::SetGeoTable(grpc::ServerContext* context,
                                                 const pb::SetGeoTableRequest* request,
                                                 pb::GeoTable* response) {
  return handle("SetGeoTable", *context, [&] {
    if (auto refused = online_.set_geo_table(request->text())) throw control_error(*refused);
    geo_response(online_, *response);
  });
}

grpc::Status EmulatorControlService::AddCidr(grpc::ServerContext* context,
                                             const pb::AddCidrRequest* request,
                                             pb::GeoTable* response) {
  return handle("AddCidr", *context, [&] {
    const auto prefix = cidr(request->entry().cidr(), "entry.cidr");
    const std::string& country = request->entry().country();
    if (country.size() != 2) {
      throw invalid_field("REQUEST_INVALID", "entry.country", "must be ISO 3166 alpha-2");
    }
    online_.set_geo_entry(prefix, country);
    geo_response(online_, *response);
  });
}

grpc::Status EmulatorControlService::RemoveCidr(grpc::ServerContext* context,
                                                const pb::RemoveCidrRequest* request,
                                                pb::GeoTable* response) {
  return handle("RemoveCidr", *context, [&] {
    if (!online_.remove_geo_entry(cidr(request->cidr(), "cidr"))) {
      throw ControlError(ControlError::Kind::kNotFound, "CIDR_NOT_FOUND",
                         request->cidr() + " is not in the geo table");
    }
    geo_response(online_, *response);
  });
}

grpc::Status EmulatorControlService::GetGeoTable(grpc::ServerContext* context,
                                                 const pb::GetGeoTableRequest*,
                                                 pb::GeoTable* response) {
  return handle("GetGeoTable", *context, [&] { geo_response(online_, *response); });
}

grpc::Status EmulatorControlService::SetTrustedProxies(grpc::ServerContext* context,
                                                       const pb::SetTrustedProxiesRequest* request,
                                                       pb::SetTrustedProxiesResponse*) {
  return handle("SetTrustedProxies", *context, [&] {
    std::vector<online::Cidr> proxies;
    for (int i = 0; i < request->cidrs_size(); ++i) {
      proxies.push_back(cidr(request->cidrs(i), "cidrs[" + std::to_string(i) + "]"));
    }
    online_.set_trusted_proxies(std::move(proxies));
  });
}

grpc::Status EmulatorControlService::LoadPersonas(grpc::ServerContext* context,
                                                  const pb::LoadPersonasRequest*,
                                                  pb::LoadPersonasResponse* response) {
  return handle("LoadPersonas", *context, [&] {
    std::vector<std::string> ids;
    try {
      ids = online_.residents().load();
    } catch (const std::exception& e) {
      throw ControlError(ControlError::Kind::kFailedPrecondition, "PERSONAS_INVALID", e.what());
    }
    for (const auto& id : ids) response->add_persona_ids(id);
  });
}

grpc::Status EmulatorControlService::SetOrganizationApproval(
    grpc::ServerContext* context, const pb::SetOrganizationApprovalRequest* request,
    pb::SetOrganizationApprovalResponse* response) {
  return handle("SetOrganizationApproval", *context, [&] {
    if (request->organization_id().empty()) {
      throw invalid_field("REQUEST_INVALID", "organization_id", "is required");
    }
    online::OrganizationApproval approval;
    approval.password_set_on = date(request->approved_on(), "approved_on");
    for (int i = 0; i < request->reports_approved_on_size(); ++i) {
      approval.reports_approved_on.push_back(
          date(request->reports_approved_on(i), "reports_approved_on[" + std::to_string(i) + "]"));
    }
    online_.set_organization_approval(request->organization_id(), approval);
    response->set_expires_on(online::FormatDate(approval.ExpiresOn()));
  });
}

grpc::Status EmulatorControlService::SetFault(grpc::ServerContext* context,
                                              const pb::SetFaultRequest* request,
                                              pb::SetFaultResponse*) {
  return handle("SetFault", *context, [&] { online_.faults().add(to_core(*request)); });
}

grpc::Status EmulatorControlService::ClearFaults(grpc::ServerContext* context,
                                                 const pb::ClearFaultsRequest*,
                                                 pb::ClearFaultsResponse*) {
  return handle("ClearFaults", *context, [&] { online_.faults().clear(); });
}

grpc::Status EmulatorControlService::DecideApplication(grpc::ServerContext* context,
                                                       const pb::DecideApplicationRequest* request,
                                                       pb::ExaminerApplication* response) {
  return handle("DecideApplication", *context, [&] {
    auto decided = online_.applications().Decide(request->provisional_number(),
                                                 to_core(request->decision()), request->note());
    if (!decided.ok()) throw control_error(decided.rejection());
    to_proto(decided.value(), *response);
  });
}

grpc::Status EmulatorControlService::GetApplication(grpc::ServerContext* context,
                                                    const pb::GetApplicationRequest* request,
                                                    pb::ExaminerApplication* response) {
  return handle("GetApplication", *context, [&] {
    const auto a = online_.store().GetApplication(request->provisional_number());
    if (!a) {
      throw ControlError(ControlError::Kind::kNotFound, "APPLICATION_NOT_FOUND",
                         "no application " + request->provisional_number());
    }
    to_proto(*a, *response);
  });
}

grpc::Status EmulatorControlService::ListOutbox(grpc::ServerContext* context,
                                                const pb::ListOutboxRequest* request,
                                                pb::ListOutboxResponse* response) {
  return handle("ListOutbox", *context, [&] {
    for (const auto& item : online_.store().Outbox()) {
      if (!request->application_id().empty() && item.application_id != request->application_id()) {
        continue;
      }
      auto* out = response->add_items();
      out->set_channel(item.channel == online::Channel::kEmail ? "EMAIL" : "POST");
      out->set_kind(item.kind);
      out->set_to(item.to);
      out->set_subject(item.subject);
      out->set_body(item.body);
      out->set_application_id(item.application_id);
      *out->mutable_at() = timestamp(item.at);
      out->set_rule_id(item.rule_id);
    }
  });
}

grpc::Status EmulatorControlService::StreamAuditEvents(grpc::ServerContext* context,
                                                       const pb::StreamAuditEventsRequest* request,
                                                       grpc::ServerWriter<pb::AuditEvent>* writer) {
  return handle("StreamAuditEvents", *context, [&] {
    std::uint64_t next = request->from_sequence();
    writer->SendInitialMetadata();  // the stream is live: the client may act now
    while (!stopping_ && !context->IsCancelled()) {
      const auto events = online_.store().Events();
      for (; next < events.size(); ++next) {
        const auto& e = events[next];
        pb::AuditEvent out;
        out.set_sequence(next);
        *out.mutable_at() = timestamp(e.at);
        out.set_kind(e.kind);
        out.set_subject_id(e.subject_id);
        out.set_detail(e.detail);
        if (!writer->Write(out)) return;  // the client went away
      }
      if (!request->follow()) return;
      std::this_thread::sleep_for(kStreamPoll);
    }
    if (stopping_) {
      throw ControlError(ControlError::Kind::kUnavailable, "SHUTTING_DOWN",
                         "the emulator is shutting down");
    }
  });
}

grpc::Status EmulatorControlService::SaveSnapshot(grpc::ServerContext* context,
                                                  const pb::SaveSnapshotRequest* request,
                                                  pb::SnapshotInfo* response) {
  return handle("SaveSnapshot", *context, [&] {
    to_proto(online_.save_snapshot(snapshot_name(request->name())), *response);
  });
}

grpc::Status EmulatorControlService::RestoreSnapshot(grpc::ServerContext* context,
                                                     const pb::RestoreSnapshotRequest* request,
                                                     pb::SnapshotInfo* response) {
  return handle("RestoreSnapshot", *context, [&] {
    const auto restored = online_.restore_snapshot(snapshot_name(request->name()));
    if (!restored) throw snapshot_not_found(request->name());
    to_proto(*restored, *response);
  });
}

grpc::Status EmulatorControlService::ListSnapshots(grpc::ServerContext* context,
                                                   const pb::ListSnapshotsRequest*,
                                                   pb::ListSnapshotsResponse* response) {
  return handle("ListSnapshots", *context, [&] {
    for (const auto& s : online_.list_snapshots()) to_proto(s, *response->add_snapshots());
  });
}

grpc::Status EmulatorControlService::DeleteSnapshot(grpc::ServerContext* context,
                                                    const pb::DeleteSnapshotRequest* request,
                                                    pb::DeleteSnapshotResponse*) {
  return handle("DeleteSnapshot", *context, [&] {
    if (!online_.delete_snapshot(snapshot_name(request->name()))) {
      throw snapshot_not_found(request->name());
    }
  });
}

grpc::Status EmulatorControlService::Echo(grpc::ServerContext* context,
                                          const pb::EchoRequest* request,
                                          pb::EchoResponse* response) {
  // Not logged: it is the load generator's baseline and runs at full rate.
  if (!control_token_ok(*context, control_token_)) {
    return rich_status(grpc::StatusCode::UNAUTHENTICATED, "CONTROL_TOKEN_REQUIRED",
                       "control calls need the metadata 'authorization: Bearer <token>'");
  }
  response->set_payload(request->payload());
  return grpc::Status::OK;
}

}  // namespace zairyu::server
