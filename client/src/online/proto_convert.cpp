#include "online/proto_convert.h"

#include <google/protobuf/util/time_util.h>

#include "online/rpc_error.h"

namespace zairyu::client::detail {
namespace {

// Public enums follow the proto's order without its UNSPECIFIED = 0.
template <typename Proto, typename Public>
Proto shifted(Public value) {
  return static_cast<Proto>(static_cast<int>(value) + 1);
}

void set(pb::StatusOfResidence* out, const StatusOfResidence& status) {
  out->set_name(status.name);
  out->set_designation(status.designation);
}

// "NOTIFICATION_EVENT_DIVORCE" -> "DIVORCE".
std::string without_prefix(const std::string& name, const std::string& prefix) {
  return name.starts_with(prefix) ? name.substr(prefix.size()) : name;
}

}  // namespace

std::string rfc3339(const google::protobuf::Timestamp& t, bool present) {
  return present ? google::protobuf::util::TimeUtil::ToString(t) : std::string();
}

pb::UserCategory to_proto(UserCategory category) { return shifted<pb::UserCategory>(category); }

UserCategory from_proto(pb::UserCategory category, const std::string& method) {
  if (category < pb::ORGANIZATION_STAFF || category > pb::RELATIVE) {
    throw bad_response(method, "unknown user category " + std::to_string(category));
  }
  return static_cast<UserCategory>(static_cast<int>(category) - 1);
}

pb::ApplicationForm to_proto(const ApplicationForm& form) {
  pb::ApplicationForm out;
  const Applicant& a = form.applicant;
  auto* applicant = out.mutable_applicant();
  applicant->set_birth_date(a.birth_date);
  if (a.status) set(applicant->mutable_status(), *a.status);
  if (a.period_of_stay) {
    auto* p = applicant->mutable_period_of_stay();
    p->set_years(a.period_of_stay->years);
    p->set_months(a.period_of_stay->months);
    p->set_days(a.period_of_stay->days);
    p->set_indefinite(a.period_of_stay->indefinite);
  }
  applicant->set_stay_expires_on(a.stay_expires_on);
  applicant->set_inability_reason(a.inability_reason);
  applicant->set_email(a.email);
  for (const Procedure p : form.procedures) out.add_procedures(shifted<pb::Procedure>(p));
  if (form.requested_status) set(out.mutable_requested_status(), *form.requested_status);
  out.set_coe_receipt(form.coe_receipt == ApplicationForm::CoeReceipt::kEmail
                          ? pb::COE_RECEIPT_EMAIL
                          : pb::COE_RECEIPT_PAPER);
  out.set_delivery(form.delivery == ApplicationForm::Delivery::kCounter ? pb::DELIVERY_COUNTER
                                                                        : pb::DELIVERY_POST);
  out.set_postal_address(form.postal_address);
  out.set_photo_size(form.photo_size);
  return out;
}

FileVerdict from_proto(const pb::FileVerdict& verdict) {
  return {verdict.file_name(), verdict.accepted(), verdict.error(), verdict.rule_id()};
}

ApplicationStatus from_proto(const pb::Application& application) {
  ApplicationStatus out;
  out.provisional_number = application.provisional_number();
  out.receipt_number = application.receipt_number();
  out.state = pb::ApplicationState_Name(application.state());
  if (out.state.empty()) out.state = "STATE_" + std::to_string(application.state());
  for (const int p : application.procedures()) {
    // Procedures the client does not know yet (a newer server) are skipped.
    if (p >= pb::CERTIFICATE_OF_ELIGIBILITY && p <= pb::OTHER_ACTIVITY_PERMISSION) {
      out.procedures.push_back(static_cast<Procedure>(p - 1));
    }
  }
  out.submitted_at = rfc3339(application.submitted_at(), application.has_submitted_at());
  out.receipt_due_at = rfc3339(application.receipt_due_at(), application.has_receipt_due_at());
  for (const auto& v : application.attachments()) out.attachments.push_back(from_proto(v));
  out.user_id = application.user_id();
  return out;
}

PendingProof from_proto(const pb::PendingProof& proof) {
  return {proof.receipt_number(), proof.filed_on(), proof.stay_expires_on(),
          proof.special_period_ends_on(), proof.in_special_period()};
}

pb::SubmitNotificationRequest to_proto(const Notification& notification) {
  pb::SubmitNotificationRequest out;
  out.set_kind(notification.kind);
  for (const auto& [key, value] : notification.fields) (*out.mutable_fields())[key] = value;
  if (!notification.event.empty()) {
    pb::NotificationEvent event{};
    std::string name = without_prefix(notification.event, "NOTIFICATION_EVENT_");
    for (char& c : name) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    if (!pb::NotificationEvent_Parse("NOTIFICATION_EVENT_" + name, &event)) {
      throw std::invalid_argument("unknown notification event \"" +
                                  notification.event.substr(0, 64) +
                                  "\" (e.g. DIVORCE, CONTRACT_ENDED, PERIODIC_REPORT)");
    }
    out.set_event(event);
  }
  out.set_event_date(notification.event_date);
  if (notification.status) set(out.mutable_status(), *notification.status);
  out.set_organization_name(notification.organization_name);
  return out;
}

NotificationRecord from_proto(const pb::Notification& n) {
  NotificationRecord out;
  out.receipt = {n.notification_id(), n.deadline(), n.late(),
                 rfc3339(n.filed_at(), n.has_filed_at())};
  out.kind = without_prefix(pb::NotificationKind_Name(n.notification_kind()), "NOTIFICATION_KIND_");
  out.event = without_prefix(pb::NotificationEvent_Name(n.event()), "NOTIFICATION_EVENT_");
  out.event_date = n.event_date();
  out.organization_name = n.organization_name();
  out.fields = {n.fields().begin(), n.fields().end()};
  return out;
}

}  // namespace zairyu::client::detail
