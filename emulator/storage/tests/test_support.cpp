#include "emulator/storage/tests/test_support.h"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include <fmt/format.h>

#include "emulator/storage/record_codec.h"

namespace zairyu::storage::test {

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base && *base ? base : "/tmp") + "/zairyu-storage-XXXXXX";
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

online::Date D(int y, unsigned m, unsigned d) {
  return online::Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

online::SubmitRequest Extension(const std::string& user_id) {
  online::SubmitRequest r;
  r.user_id = user_id;
  r.user_email = user_id + "@example.jp";
  r.applicant_email = "student@example.jp";
  r.postal_address = "東京都新宿区1-1";
  r.application.filer.category = online::UserCategory::kForeignNational;
  r.application.applicant.birth_date = D(2000, 1, 1);
  r.application.applicant.status = {"留学", ""};
  r.application.applicant.period_of_stay = {1, 0, 0, false};
  r.application.applicant.stay_expires_on = D(2025, 9, 30);
  r.application.procedures = {online::Procedure::kExtensionOfStay};
  return r;
}

online::SubmitRequest Coe(online::CoeReceipt how) {
  online::SubmitRequest r = Extension("org-1");
  r.application.filer.category = online::UserCategory::kOrganizationStaff;
  r.application.applicant = {};
  r.application.applicant.birth_date = D(1995, 1, 1);
  r.application.requested_status = {"技術・人文知識・国際業務", ""};
  r.application.procedures = {online::Procedure::kCertificateOfEligibility};
  r.application.coe_receipt = how;
  return r;
}

online::RegisterRequest Person(const std::string& user_id) {
  online::RegisterRequest r{user_id, user_id + "@example.jp", "pass-1", {}};
  r.credentials.category = online::UserCategory::kForeignNational;
  r.credentials.card_has_signature_cert = r.credentials.card_has_auth_cert = true;
  r.credentials.has_residence_card = true;
  return r;
}

online::StoreBatch SubmissionBatch(const std::string& id, const std::string& user_id,
                                   const std::string& token) {
  const online::Instant at = online::JstTime(D(2025, 8, 1), 15);
  online::ApplicationRecord a;
  a.id = id;
  a.user_id = user_id;
  a.user_email = user_id + "@example.jp";
  a.postal_address = token;
  a.request = Extension(user_id).application;
  a.submitted_at = at;
  a.receipt_due_at = online::JstTime(D(2025, 8, 2), 2, 10);
  online::StoreBatch b;
  b.applications.push_back(a);
  b.outbox.push_back({online::Channel::kEmail, "ACCEPTANCE_NOTICE", a.user_email, "受付", id, id,
                      at, "RAS-LIFE-001"});
  b.events.push_back({at, "APPLICATION_SUBMITTED", id, token});
  return b;
}

std::vector<std::string> Dump(const online::Store& store, const std::vector<std::string>& users) {
  std::vector<std::string> out;
  for (const online::Account& a : store.ListAccounts()) out.push_back(EncodeAccount(a));
  for (const std::string& user : users) {
    for (const auto& a : store.ListApplications(user)) out.push_back(EncodeApplication(a));
  }
  for (const auto& a : store.DueForReceiptNumber(online::Instant::max()))
    out.push_back("awaiting " + a.id);
  for (const online::OutboxItem& o : store.Outbox()) {
    out.push_back(fmt::format("outbox {} {} {} {} {} {} {} {}", ChannelName(o.channel), o.kind,
                              o.to, o.subject, o.body, o.application_id,
                              o.at.time_since_epoch().count(), o.rule_id));
  }
  for (const online::AuditEvent& e : store.Events()) {
    out.push_back(fmt::format("event {} {} {} {}", e.at.time_since_epoch().count(), e.kind,
                              e.subject_id, e.detail));
  }
  return out;
}

}  // namespace zairyu::storage::test
