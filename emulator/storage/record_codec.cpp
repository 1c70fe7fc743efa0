#include "emulator/storage/record_codec.h"

#include <array>
#include <charconv>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace zairyu::storage {
namespace {

using nlohmann::json;
using online::Date;

// Every value of an enum with its stored name (the core's names where it has
// them: StateName, ProcedureName, CategoryName); one table for both directions.
template <typename E, std::size_t N>
using NameTable = std::array<std::pair<E, std::string_view>, N>;

constexpr NameTable<online::ApplicationState, 6> kStates{{
    {online::ApplicationState::kProvisional, "PROVISIONAL"},
    {online::ApplicationState::kReceived, "RECEIVED"},
    {online::ApplicationState::kMaterialRequested, "MATERIAL_REQUESTED"},
    {online::ApplicationState::kApproved, "APPROVED"},
    {online::ApplicationState::kRefused, "REFUSED"},
    {online::ApplicationState::kCompleted, "COMPLETED"},
}};
constexpr NameTable<online::Procedure, 7> kProcedures{{
    {online::Procedure::kCertificateOfEligibility, "CERTIFICATE_OF_ELIGIBILITY"},
    {online::Procedure::kChangeOfStatus, "CHANGE_OF_STATUS"},
    {online::Procedure::kExtensionOfStay, "EXTENSION_OF_STAY"},
    {online::Procedure::kAcquisitionOfStatus, "ACQUISITION_OF_STATUS"},
    {online::Procedure::kEmploymentCertificate, "EMPLOYMENT_CERTIFICATE"},
    {online::Procedure::kReentryPermit, "REENTRY_PERMIT"},
    {online::Procedure::kOtherActivityPermission, "OTHER_ACTIVITY_PERMISSION"},
}};
constexpr NameTable<online::UserCategory, 7> kCategories{{
    {online::UserCategory::kOrganizationStaff, "ORGANIZATION_STAFF"},
    {online::UserCategory::kLawyerOrScrivener, "LAWYER_OR_SCRIVENER"},
    {online::UserCategory::kPublicInterestCorpStaff, "PUBLIC_INTEREST_CORPORATION_STAFF"},
    {online::UserCategory::kRegisteredSupportOrgStaff, "REGISTERED_SUPPORT_ORGANIZATION_STAFF"},
    {online::UserCategory::kForeignNational, "FOREIGN_NATIONAL"},
    {online::UserCategory::kLegalRepresentative, "LEGAL_REPRESENTATIVE"},
    {online::UserCategory::kRelative, "RELATIVE"},
}};
constexpr NameTable<online::CardDelivery, 2> kDeliveries{{
    {online::CardDelivery::kPost, "POST"},
    {online::CardDelivery::kCounter, "COUNTER"},
}};
constexpr NameTable<online::CoeReceipt, 2> kCoeReceipts{{
    {online::CoeReceipt::kPaper, "PAPER"},
    {online::CoeReceipt::kEmail, "EMAIL"},
}};
constexpr NameTable<online::FileStatus, 2> kFileStatuses{{
    {online::FileStatus::kAccepted, "ACCEPTED"},
    {online::FileStatus::kErrorFile, "ERROR_FILE"},
}};
constexpr NameTable<online::Channel, 2> kChannels{{
    {online::Channel::kEmail, "EMAIL"},
    {online::Channel::kPost, "POST"},
}};

template <typename E, std::size_t N>
std::string_view NameOf(const NameTable<E, N>& table, E value) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  // A value added to the enum but not here: refuse rather than store garbage.
  throw CodecError(fmt::format("no stored name for enum value {}", static_cast<int>(value)));
}

template <typename E, std::size_t N>
E ValueOf(const NameTable<E, N>& table, std::string_view name) {
  for (const auto& [v, n] : table) {
    if (n == name) return v;
  }
  throw CodecError(fmt::format("unknown stored name '{}'", name));
}

// Written from the raw fields, and read back without a validity check, so
// any value round-trips, also the value-initialized Date{} ("0000-00-00").
json DateJson(Date d) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(d.year()),
                     static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
}

Date ParseDate(const json& j) {
  const std::string s = j.get<std::string>();
  int y = 0;
  unsigned m = 0, d = 0;
  const char* p = s.data();
  const char* end = s.data() + s.size();
  auto field = [&](auto& out, bool last) {
    auto r = std::from_chars(p, end, out);
    if (r.ec != std::errc{} || (!last && (r.ptr == end || *r.ptr != '-'))) {
      throw CodecError("bad stored date '" + s + "'");
    }
    p = last ? r.ptr : r.ptr + 1;
  };
  field(y, false);
  field(m, false);
  field(d, true);
  if (p != end) throw CodecError("bad stored date '" + s + "'");
  return Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

json InstantJson(online::Instant t) { return t.time_since_epoch().count(); }

online::Instant ParseInstant(const json& j) {
  return online::Instant{std::chrono::seconds{j.get<std::int64_t>()}};
}

json StatusJson(const online::StatusOfResidence& s) {
  return {{"name", s.name}, {"designation", s.designation}};
}

online::StatusOfResidence ParseStatus(const json& j) {
  return {j.at("name").get<std::string>(), j.at("designation").get<std::string>()};
}

json RequestJson(const online::ApplicationRequest& r) {
  const online::Applicant& a = r.applicant;
  json procedures = json::array();
  for (online::Procedure p : r.procedures) procedures.push_back(NameOf(kProcedures, p));
  return {
      {"filer",
       {{"category", NameOf(kCategories, r.filer.category)},
        {"is_supervising_organization", r.filer.is_supervising_organization}}},
      {"applicant",
       {{"birth_date", DateJson(a.birth_date)},
        {"status", StatusJson(a.status)},
        {"period_of_stay",
         {{"years", a.period_of_stay.years},
          {"months", a.period_of_stay.months},
          {"days", a.period_of_stay.days},
          {"indefinite", a.period_of_stay.indefinite}}},
        {"stay_expires_on", a.stay_expires_on ? DateJson(*a.stay_expires_on) : json()},
        {"inability_reason", a.inability_reason}}},
      {"procedures", procedures},
      {"requested_status", StatusJson(r.requested_status)},
      {"coe_receipt", NameOf(kCoeReceipts, r.coe_receipt)},
  };
}

online::ApplicationRequest ParseRequest(const json& j) {
  online::ApplicationRequest r;
  const json& filer = j.at("filer");
  r.filer.category = ValueOf(kCategories, filer.at("category").get<std::string>());
  r.filer.is_supervising_organization = filer.at("is_supervising_organization").get<bool>();
  const json& a = j.at("applicant");
  r.applicant.birth_date = ParseDate(a.at("birth_date"));
  r.applicant.status = ParseStatus(a.at("status"));
  const json& p = a.at("period_of_stay");
  r.applicant.period_of_stay = {p.at("years").get<int>(), p.at("months").get<int>(),
                                p.at("days").get<int>(), p.at("indefinite").get<bool>()};
  if (!a.at("stay_expires_on").is_null()) {
    r.applicant.stay_expires_on = ParseDate(a.at("stay_expires_on"));
  }
  r.applicant.inability_reason = a.at("inability_reason").get<std::string>();
  for (const json& name : j.at("procedures")) {
    r.procedures.push_back(ValueOf(kProcedures, name.get<std::string>()));
  }
  r.requested_status = ParseStatus(j.at("requested_status"));
  r.coe_receipt = ValueOf(kCoeReceipts, j.at("coe_receipt").get<std::string>());
  return r;
}

json ApprovalJson(const online::OrganizationApproval& a) {
  json reports = json::array();
  for (Date d : a.reports_approved_on) reports.push_back(DateJson(d));
  return {{"password_set_on", DateJson(a.password_set_on)}, {"reports_approved_on", reports}};
}

online::OrganizationApproval ParseApproval(const json& j) {
  online::OrganizationApproval a;
  a.password_set_on = ParseDate(j.at("password_set_on"));
  for (const json& d : j.at("reports_approved_on")) a.reports_approved_on.push_back(ParseDate(d));
  return a;
}

// Wraps nlohmann's exceptions (missing key, wrong type, bad JSON) in CodecError.
template <typename F>
auto Decoding(std::string_view what, F&& decode) {
  try {
    return decode();
  } catch (const json::exception& e) {
    throw CodecError(fmt::format("stored {} does not decode: {}", what, e.what()));
  }
}

}  // namespace

std::string EncodeAccount(const online::Account& a) {
  const online::UserCredentials& c = a.credentials;
  const json j = {
      {"user_id", a.user_id},
      {"email", a.email},
      {"credentials",
       {{"category", NameOf(kCategories, c.category)},
        {"card_has_signature_cert", c.card_has_signature_cert},
        {"card_has_auth_cert", c.card_has_auth_cert},
        {"has_residence_card", c.has_residence_card},
        {"filer_is_mid_long_term_resident", c.filer_is_mid_long_term_resident},
        {"has_notification_certificate", c.has_notification_certificate},
        {"approval", c.approval ? ApprovalJson(*c.approval) : json()},
        {"requested_by_organization", c.requested_by_organization}}},
      {"password_hash", a.password_hash},
      {"password_set_on", DateJson(a.password_set_on)},
      {"password_reminded_30", a.password_reminded_30},
      {"password_reminded_7", a.password_reminded_7},
      {"approval_reminded", a.approval_reminded},
      {"reset_code_hash", a.reset_code_hash},
      {"reset_expires_at", a.reset_expires_at ? InstantJson(*a.reset_expires_at) : json()},
  };
  return j.dump();
}

online::Account DecodeAccount(std::string_view text) {
  return Decoding("account", [&] {
    const json j = json::parse(text);
    online::Account a;
    a.user_id = j.at("user_id").get<std::string>();
    a.email = j.at("email").get<std::string>();
    const json& c = j.at("credentials");
    online::UserCredentials& cr = a.credentials;
    cr.category = ValueOf(kCategories, c.at("category").get<std::string>());
    cr.card_has_signature_cert = c.at("card_has_signature_cert").get<bool>();
    cr.card_has_auth_cert = c.at("card_has_auth_cert").get<bool>();
    cr.has_residence_card = c.at("has_residence_card").get<bool>();
    cr.filer_is_mid_long_term_resident = c.at("filer_is_mid_long_term_resident").get<bool>();
    cr.has_notification_certificate = c.at("has_notification_certificate").get<bool>();
    if (!c.at("approval").is_null()) cr.approval = ParseApproval(c.at("approval"));
    cr.requested_by_organization = c.at("requested_by_organization").get<bool>();
    a.password_hash = j.at("password_hash").get<std::string>();
    a.password_set_on = ParseDate(j.at("password_set_on"));
    a.password_reminded_30 = j.at("password_reminded_30").get<bool>();
    a.password_reminded_7 = j.at("password_reminded_7").get<bool>();
    a.approval_reminded = j.at("approval_reminded").get<bool>();
    // Added after schema v1's first rows: absent in older records.
    a.reset_code_hash = j.value("reset_code_hash", std::string());
    if (j.contains("reset_expires_at") && !j.at("reset_expires_at").is_null()) {
      a.reset_expires_at = ParseInstant(j.at("reset_expires_at"));
    }
    return a;
  });
}

std::string EncodeApplication(const online::ApplicationRecord& a) {
  json files = json::array();
  for (const online::FileVerdict& f : a.attachments) {
    files.push_back({{"file_name", f.file_name},
                     {"status", NameOf(kFileStatuses, f.status)},
                     {"error", f.error},
                     {"rule_id", f.rule_id}});
  }
  const json j = {
      {"id", a.id},
      {"receipt_number", a.receipt_number ? json(*a.receipt_number) : json()},
      {"user_id", a.user_id},
      {"user_email", a.user_email},
      {"applicant_email", a.applicant_email},
      {"postal_address", a.postal_address},
      {"request", RequestJson(a.request)},
      {"delivery", NameOf(kDeliveries, a.delivery)},
      {"attachments", files},
      {"state", NameOf(kStates, a.state)},
      {"submitted_at", InstantJson(a.submitted_at)},
      {"receipt_due_at", InstantJson(a.receipt_due_at)},
      {"decided_at", a.decided_at ? InstantJson(*a.decided_at) : json()},
      {"idempotency", a.idempotency ? json{{"key", a.idempotency->key},
                                           {"request_digest", a.idempotency->request_digest}}
                                    : json()},
  };
  return j.dump();
}

online::ApplicationRecord DecodeApplication(std::string_view text) {
  return Decoding("application", [&] {
    const json j = json::parse(text);
    online::ApplicationRecord a;
    a.id = j.at("id").get<std::string>();
    if (!j.at("receipt_number").is_null()) {
      a.receipt_number = j.at("receipt_number").get<std::string>();
    }
    a.user_id = j.at("user_id").get<std::string>();
    a.user_email = j.at("user_email").get<std::string>();
    a.applicant_email = j.at("applicant_email").get<std::string>();
    a.postal_address = j.at("postal_address").get<std::string>();
    a.request = ParseRequest(j.at("request"));
    a.delivery = ValueOf(kDeliveries, j.at("delivery").get<std::string>());
    for (const json& f : j.at("attachments")) {
      a.attachments.push_back({f.at("file_name").get<std::string>(),
                               ValueOf(kFileStatuses, f.at("status").get<std::string>()),
                               f.at("error").get<std::string>(),
                               f.at("rule_id").get<std::string>()});
    }
    a.state = ValueOf(kStates, j.at("state").get<std::string>());
    a.submitted_at = ParseInstant(j.at("submitted_at"));
    a.receipt_due_at = ParseInstant(j.at("receipt_due_at"));
    if (!j.at("decided_at").is_null()) a.decided_at = ParseInstant(j.at("decided_at"));
    // Absent in records stored before schema v3.
    if (const auto it = j.find("idempotency"); it != j.end() && !it->is_null()) {
      a.idempotency = online::IdempotencyKey{it->at("key").get<std::string>(),
                                             it->at("request_digest").get<std::string>()};
    }
    return a;
  });
}

std::string EncodeNotification(const online::NotificationRecord& n) {
  const online::NotificationRequest& r = n.request;
  const json j = {
      {"id", n.id},
      {"user_id", n.user_id},
      {"user_email", n.user_email},
      {"kind", online::NotificationKindName(r.kind)},
      {"event", online::NotificationEventName(r.event)},
      {"event_date", DateJson(r.event_date)},
      {"status", StatusJson(r.status)},
      {"organization_name", r.organization_name},
      {"fields", r.fields},
      {"filed_at", InstantJson(n.filed_at)},
      {"deadline", DateJson(n.deadline)},
      {"late", n.late},
  };
  return j.dump();
}

online::NotificationRecord DecodeNotification(std::string_view text) {
  return Decoding("notification", [&] {
    const json j = json::parse(text);
    online::NotificationRecord n;
    n.id = j.at("id").get<std::string>();
    n.user_id = j.at("user_id").get<std::string>();
    n.user_email = j.at("user_email").get<std::string>();
    const std::string kind = j.at("kind").get<std::string>();
    const auto parsed_kind = online::ParseNotificationKind(kind);
    if (!parsed_kind) throw CodecError(fmt::format("unknown stored name '{}'", kind));
    n.request.kind = *parsed_kind;
    const std::string event = j.at("event").get<std::string>();
    const auto parsed_event = online::ParseNotificationEvent(event);
    if (!parsed_event) throw CodecError(fmt::format("unknown stored name '{}'", event));
    n.request.event = *parsed_event;
    n.request.event_date = ParseDate(j.at("event_date"));
    n.request.status = ParseStatus(j.at("status"));
    n.request.organization_name = j.at("organization_name").get<std::string>();
    n.request.fields = j.at("fields").get<std::map<std::string, std::string>>();
    n.filed_at = ParseInstant(j.at("filed_at"));
    n.deadline = ParseDate(j.at("deadline"));
    n.late = j.at("late").get<bool>();
    return n;
  });
}

std::string_view ChannelName(online::Channel c) { return NameOf(kChannels, c); }

online::Channel ParseChannel(std::string_view name) { return ValueOf(kChannels, name); }

}  // namespace zairyu::storage
