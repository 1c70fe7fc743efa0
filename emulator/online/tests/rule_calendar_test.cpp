// The rule-set date: the catalogue is read at a pinned date while ages,
// deadlines and the period of stay stay measured at the virtual date.
#include <boost/test/unit_test.hpp>

#include "emulator/online/attachment_rules.h"
#include "emulator/online/eligibility.h"
#include "emulator/online/rule_calendar.h"
#include "emulator/online/tests/test_dates.h"
#include "emulator/online/user_requirements.h"

namespace zairyu::online {
namespace {

using test::D;

const Date kToday = D(2026, 6, 1);  // the virtual date: new system rules

std::string RuleOf(const Check& c) { return c ? c->rule_id : "passed"; }

std::vector<std::uint8_t> Pdf() {
  const std::string s = "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";
  return {s.begin(), s.end()};
}

BOOST_AUTO_TEST_SUITE(rule_calendar)

BOOST_AUTO_TEST_CASE(follows_the_virtual_date_until_pinned) {
  RuleCalendar rules;
  BOOST_TEST(!rules.rule_set_date().has_value());
  BOOST_TEST((rules.RulesOn(kToday) == kToday));
  rules.SetRuleSetDate(D(2025, 12, 1));
  BOOST_TEST((rules.RulesOn(kToday) == D(2025, 12, 1)));
  BOOST_TEST((rules.RulesOn(D(2020, 1, 1)) == D(2025, 12, 1)));
  rules.SetRuleSetDate(std::nullopt);
  BOOST_TEST((rules.RulesOn(kToday) == kToday));
  BOOST_TEST(!RuleCalendar::FollowingTheDate().rule_set_date().has_value());
}

// RAS-ATT-001 / RAS-ATT-002: the attachment rules of the pinned date.
BOOST_AUTO_TEST_CASE(ras_att_001_002_by_rule_set_date) {
  RuleCalendar rules;
  const AttachmentUpload two{0, {{"a.pdf", Pdf()}, {"b.pdf", Pdf()}}};
  BOOST_TEST(CheckAttachments(two, kToday, rules).ok());  // RAS-ATT-002 on 2026-06-01
  rules.SetRuleSetDate(D(2026, 1, 4));
  BOOST_TEST(rules.InForce("RAS-ATT-001", kToday));
  BOOST_TEST(!rules.InForce("RAS-ATT-002", kToday));
  const auto old = CheckAttachments(two, kToday, rules);
  BOOST_REQUIRE(!old.ok());
  BOOST_TEST(old.rejection().reason == "TOO_MANY_ATTACHMENTS");
  BOOST_TEST(old.rejection().rule_id == "RAS-ATT-001");
  rules.SetRuleSetDate(D(2026, 1, 5));
  BOOST_TEST(CheckAttachments(two, kToday, rules).ok());
}

// RAS-PROC-005: COE by e-mail is judged by the rule-set date.
BOOST_AUTO_TEST_CASE(ras_proc_005_by_rule_set_date) {
  ApplicationRequest r;
  r.filer.category = UserCategory::kOrganizationStaff;
  r.applicant.birth_date = D(1995, 1, 1);
  r.requested_status = {"技術・人文知識・国際業務", ""};
  r.procedures = {Procedure::kCertificateOfEligibility};
  r.coe_receipt = CoeReceipt::kEmail;
  RuleCalendar rules;
  BOOST_TEST(RuleOf(CheckApplication(r, kToday, {}, rules)) == "passed");
  rules.SetRuleSetDate(D(2023, 3, 16));
  BOOST_TEST(RuleOf(CheckApplication(r, kToday, {}, rules)) == "RAS-PROC-005");
  rules.SetRuleSetDate(D(2023, 3, 17));
  BOOST_TEST(RuleOf(CheckApplication(r, kToday, {}, rules)) == "passed");
}

// RAS-OPEN-002 is a rule; RAS-PROC-003 (the last day of the stay) is time:
// a pinned rule set changes the first, the clock still decides the second.
BOOST_AUTO_TEST_CASE(ras_open_002_by_rule_set_date_ras_proc_003_by_clock) {
  UserCredentials u;
  u.category = UserCategory::kForeignNational;
  u.card_has_signature_cert = u.card_has_auth_cert = u.has_residence_card = true;
  RuleCalendar rules;
  rules.SetRuleSetDate(D(2022, 3, 15));
  const Check closed = CheckUserRequirements(u, kToday, rules);
  BOOST_TEST(RuleOf(closed) == "RAS-OPEN-002");
  BOOST_TEST(closed->message.find("2022-03-15") != std::string::npos);
  rules.SetRuleSetDate(D(2022, 3, 16));
  BOOST_TEST(RuleOf(CheckUserRequirements(u, kToday, rules)) == "passed");

  ApplicationRequest r;
  r.filer.category = UserCategory::kForeignNational;
  r.applicant.birth_date = D(2000, 4, 1);
  r.applicant.status = {"留学", ""};
  r.applicant.period_of_stay = {1, 0, 0, false};
  r.applicant.stay_expires_on = kToday;
  r.procedures = {Procedure::kExtensionOfStay};
  BOOST_TEST(RuleOf(CheckApplication(r, kToday, {}, rules)) == "RAS-PROC-003");
  BOOST_TEST(RuleOf(CheckApplication(r, D(2026, 5, 31), {}, rules)) == "passed");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace zairyu::online
