// Applicant eligibility and procedures: RAS-ELIG-*, RAS-PROC-*.
#include <boost/test/unit_test.hpp>

#include "emulator/online/eligibility.h"
#include "emulator/online/tests/test_dates.h"

namespace zairyu::online {
namespace {

using test::D;

// A student, 20 years old, 1-year stay ending 2025-09-30, extending himself.
ApplicationRequest Extension(UserCategory filer = UserCategory::kForeignNational) {
  ApplicationRequest r;
  r.filer.category = filer;
  r.applicant.birth_date = D(2005, 4, 1);
  r.applicant.status = {"留学", ""};
  r.applicant.period_of_stay = {1, 0, 0, false};
  r.applicant.stay_expires_on = D(2025, 9, 30);
  r.procedures = {Procedure::kExtensionOfStay};
  return r;
}

ApplicationRequest Coe(UserCategory filer) {
  ApplicationRequest r;
  r.filer.category = filer;
  r.applicant.birth_date = D(1995, 1, 1);
  r.requested_status = {"技術・人文知識・国際業務", ""};
  r.procedures = {Procedure::kCertificateOfEligibility};
  return r;
}

const Date kOk = D(2025, 8, 1);

std::string RuleOf(const Check& c) { return c ? c->rule_id : "passed"; }

BOOST_AUTO_TEST_SUITE(eligibility)

BOOST_AUTO_TEST_CASE(plain_extension_passes) {
  BOOST_TEST(RuleOf(CheckApplication(Extension(), kOk)) == "passed");
  BOOST_TEST(RuleOf(CheckApplication(Coe(UserCategory::kOrganizationStaff), kOk)) == "passed");
}

// RAS-OPEN-002: before 2022-03-16 本人 cannot file at all.
BOOST_AUTO_TEST_CASE(ras_open_002_individual_filing_before_opening) {
  ApplicationRequest r = Extension();
  r.applicant.stay_expires_on = D(2022, 5, 1);
  BOOST_TEST(RuleOf(CheckApplication(r, D(2022, 3, 15))) == "RAS-OPEN-002");
  BOOST_TEST(RuleOf(CheckApplication(r, D(2022, 3, 16))) == "passed");
  r.filer.category = UserCategory::kOrganizationStaff;
  BOOST_TEST(RuleOf(CheckApplication(r, D(2022, 3, 15))) == "passed");
}

// RAS-PROC-006: procedures present, none twice.
BOOST_AUTO_TEST_CASE(ras_proc_006_procedure_list) {
  ApplicationRequest r = Extension();
  r.procedures.clear();
  Check c = CheckApplication(r, kOk);
  BOOST_TEST(RuleOf(c) == "RAS-PROC-006");
  BOOST_TEST((c->category == ErrorCategory::kInvalidArgument));
  BOOST_REQUIRE(c->field_violations.size() == 1u);
  BOOST_TEST(c->field_violations[0].field == "procedures");
  r.procedures = {Procedure::kExtensionOfStay, Procedure::kExtensionOfStay};
  BOOST_TEST(RuleOf(CheckApplication(r, kOk)) == "RAS-PROC-006");
}

// RAS-PROC-001: re-entry and other activity need a companion (configurable).
BOOST_AUTO_TEST_CASE(ras_proc_001_companion_required) {
  ApplicationRequest r = Extension();
  r.procedures = {Procedure::kReentryPermit};
  Check c = CheckApplication(r, kOk);
  BOOST_TEST(RuleOf(c) == "RAS-PROC-001");
  BOOST_TEST(c->reason == "PROCEDURE_REQUIRES_COMPANION");
  r.procedures = {Procedure::kOtherActivityPermission};
  BOOST_TEST(RuleOf(CheckApplication(r, kOk)) == "RAS-PROC-001");
  BOOST_TEST(RuleOf(CheckApplication(r, kOk, {.other_activity_standalone = true})) == "passed");
  r.procedures = {Procedure::kReentryPermit};
  BOOST_TEST(RuleOf(CheckApplication(r, kOk, {.other_activity_standalone = true})) ==
             "RAS-PROC-001");
  for (Procedure companion :
       {Procedure::kChangeOfStatus, Procedure::kExtensionOfStay, Procedure::kAcquisitionOfStatus}) {
    r.procedures = {companion, Procedure::kReentryPermit, Procedure::kOtherActivityPermission};
    BOOST_TEST(RuleOf(CheckApplication(r, kOk)) == "passed");
  }
}

// RAS-ELIG-001: 本人 must be a mid/long-term resident.
BOOST_AUTO_TEST_CASE(ras_elig_001_not_mid_long_term) {
  for (const char* s : {"外交", "公用", "短期滞在", "特別永住者", ""}) {
    ApplicationRequest r = Extension();
    r.applicant.status = {s, ""};
    const Check c = CheckApplication(r, kOk);
    BOOST_TEST(RuleOf(c) == "RAS-ELIG-001", s);
    BOOST_TEST(c->reason == "APPLICANT_NOT_ELIGIBLE");
  }
  // 公用 is in scope when an organization files [S3].
  ApplicationRequest org = Extension(UserCategory::kOrganizationStaff);
  org.applicant.status = {"公用", ""};
  BOOST_TEST(RuleOf(CheckApplication(org, kOk)) == "passed");
}

// RAS-ELIG-002: 3 months or less.
BOOST_AUTO_TEST_CASE(ras_elig_002_stay_of_three_months_or_less) {
  ApplicationRequest r = Extension();
  r.applicant.period_of_stay = {0, 3, 0, false};
  const Check c = CheckApplication(r, kOk);
  BOOST_TEST(RuleOf(c) == "RAS-ELIG-002");
  BOOST_TEST(c->reason == "STAY_TOO_SHORT");
  r.applicant.period_of_stay = {0, 0, 90, false};
  BOOST_TEST(RuleOf(CheckApplication(r, kOk)) == "RAS-ELIG-002");
  r.applicant.period_of_stay = {0, 4, 0, false};
  BOOST_TEST(RuleOf(CheckApplication(r, kOk)) == "passed");
  r.applicant.period_of_stay = {0, 0, 0, true};
  BOOST_TEST(RuleOf(CheckApplication(r, kOk)) == "passed");
}

// RAS-ELIG-003: under 15 cannot file as 本人; exactly the 15th birthday can.
BOOST_AUTO_TEST_CASE(ras_elig_003_under_15_boundary) {
  ApplicationRequest r = Extension();
  r.applicant.birth_date = D(2010, 8, 1);
  const Check c = CheckApplication(r, D(2025, 7, 31));
  BOOST_TEST(RuleOf(c) == "RAS-ELIG-003");
  BOOST_TEST(c->reason == "APPLICANT_UNDER_15");
  BOOST_TEST(RuleOf(CheckApplication(r, D(2025, 8, 1))) == "passed");
  r.filer.category = UserCategory::kLegalRepresentative;
  BOOST_TEST(RuleOf(CheckApplication(r, D(2025, 7, 31))) == "passed");
}

// RAS-ELIG-004: relatives for an applicant under 16, or ill with a reason.
BOOST_AUTO_TEST_CASE(ras_elig_004_relative_under_16_or_ill) {
  ApplicationRequest r = Extension(UserCategory::kRelative);
  r.applicant.birth_date = D(2009, 8, 1);
  BOOST_TEST(RuleOf(CheckApplication(r, D(2025, 7, 31))) == "passed");  // still 15
  const Check c = CheckApplication(r, D(2025, 8, 1));                   // 16th birthday
  BOOST_TEST(RuleOf(c) == "RAS-ELIG-004");
  BOOST_TEST(c->reason == "RELATIVE_NOT_PERMITTED");
  r.applicant.inability_reason = "入院中";
  BOOST_TEST(RuleOf(CheckApplication(r, D(2025, 8, 1))) == "passed");
}

// RAS-ELIG-005: relatives may not file 就労資格証明書 or 資格外活動.
BOOST_AUTO_TEST_CASE(ras_elig_005_relative_procedures) {
  ApplicationRequest r = Extension(UserCategory::kRelative);
  r.applicant.birth_date = D(2015, 1, 1);
  r.procedures = {Procedure::kExtensionOfStay, Procedure::kOtherActivityPermission};
  Check c = CheckApplication(r, kOk);
  BOOST_TEST(RuleOf(c) == "RAS-ELIG-005");
  BOOST_TEST(c->field_violations.size() == 1u);
  r.procedures = {Procedure::kEmploymentCertificate};
  BOOST_TEST(RuleOf(CheckApplication(r, kOk)) == "RAS-ELIG-005");
  r.procedures = {Procedure::kExtensionOfStay, Procedure::kReentryPermit};
  BOOST_TEST(RuleOf(CheckApplication(r, kOk)) == "passed");
}

// RAS-ELIG-006: statuses held or sought that are out of scope.
BOOST_AUTO_TEST_CASE(ras_elig_006_status_scope) {
  ApplicationRequest r = Extension(UserCategory::kOrganizationStaff);
  r.procedures = {Procedure::kChangeOfStatus};
  r.requested_status = {"短期滞在", ""};
  Check c = CheckApplication(r, kOk);
  BOOST_TEST(RuleOf(c) == "RAS-ELIG-006");
  BOOST_TEST(c->reason == "STATUS_NOT_ELIGIBLE");
  r.requested_status = {"特定活動", "出国準備期間"};
  BOOST_TEST(RuleOf(CheckApplication(r, kOk)) == "RAS-ELIG-006");
  r.requested_status = {"特定活動", "告示46号"};
  BOOST_TEST(RuleOf(CheckApplication(r, kOk)) == "passed");
  ApplicationRequest coe = Coe(UserCategory::kLawyerOrScrivener);
  coe.requested_status = {"外交", ""};
  BOOST_TEST(RuleOf(CheckApplication(coe, kOk)) == "RAS-ELIG-006");
}

// RAS-ELIG-007: spouse and 定住者 statuses from 2022-03-16.
BOOST_AUTO_TEST_CASE(ras_elig_007_spouse_statuses_from_2022_03_16) {
  ApplicationRequest r = Coe(UserCategory::kLawyerOrScrivener);
  r.requested_status = {"日本人の配偶者等", ""};
  BOOST_TEST(RuleOf(CheckApplication(r, D(2022, 3, 15))) == "RAS-ELIG-007");
  BOOST_TEST(RuleOf(CheckApplication(r, D(2022, 3, 16))) == "passed");
  r.requested_status = {"定住者", ""};
  BOOST_TEST(RuleOf(CheckApplication(r, D(2021, 1, 1))) == "RAS-ELIG-007");
}

// RAS-ELIG-008: 技能実習 団体監理型 only through the 監理団体.
BOOST_AUTO_TEST_CASE(ras_elig_008_supervising_organization_only) {
  ApplicationRequest r = Coe(UserCategory::kOrganizationStaff);
  r.requested_status = {"技能実習", "団体監理型"};
  const Check c = CheckApplication(r, kOk);
  BOOST_TEST(RuleOf(c) == "RAS-ELIG-008");
  BOOST_TEST(c->reason == "FILER_NOT_PERMITTED");
  r.filer.is_supervising_organization = true;
  BOOST_TEST(RuleOf(CheckApplication(r, kOk)) == "passed");
}

// RAS-PROC-002: an extension from exactly 3 months before expiry.
BOOST_AUTO_TEST_CASE(ras_proc_002_extension_three_months_ahead) {
  const ApplicationRequest r = Extension();  // expires 2025-09-30
  const Check c = CheckApplication(r, D(2025, 6, 29));
  BOOST_TEST(RuleOf(c) == "RAS-PROC-002");
  BOOST_TEST(c->reason == "EXTENSION_TOO_EARLY");
  BOOST_TEST(RuleOf(CheckApplication(r, D(2025, 6, 30))) == "passed");
  ApplicationRequest change = r;  // a change of status has no such limit
  change.procedures = {Procedure::kChangeOfStatus};
  change.requested_status = {"技術・人文知識・国際業務", ""};
  BOOST_TEST(RuleOf(CheckApplication(change, D(2025, 1, 10))) == "passed");
}

// RAS-PROC-003: not on the last day of the stay.
BOOST_AUTO_TEST_CASE(ras_proc_003_last_day_of_stay) {
  const ApplicationRequest r = Extension();
  BOOST_TEST(RuleOf(CheckApplication(r, D(2025, 9, 29))) == "passed");
  const Check c = CheckApplication(r, D(2025, 9, 30));
  BOOST_TEST(RuleOf(c) == "RAS-PROC-003");
  BOOST_TEST(c->reason == "FILED_ON_LAST_DAY_OF_STAY");
}

// RAS-PROC-004: not after the stay ended.
BOOST_AUTO_TEST_CASE(ras_proc_004_after_expiry) {
  const Check c = CheckApplication(Extension(), D(2025, 10, 1));
  BOOST_TEST(RuleOf(c) == "RAS-PROC-004");
  BOOST_TEST(c->reason == "PERIOD_OF_STAY_EXPIRED");
}

// RAS-PROC-005: COE by e-mail from 2023-03-17.
BOOST_AUTO_TEST_CASE(ras_proc_005_coe_by_email) {
  ApplicationRequest r = Coe(UserCategory::kOrganizationStaff);
  r.coe_receipt = CoeReceipt::kEmail;
  const Check c = CheckApplication(r, D(2023, 3, 16));
  BOOST_TEST(RuleOf(c) == "RAS-PROC-005");
  BOOST_REQUIRE(c->field_violations.size() == 1u);
  BOOST_TEST(c->field_violations[0].field == "coe_receipt");
  BOOST_TEST(RuleOf(CheckApplication(r, D(2023, 3, 17))) == "passed");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace zairyu::online
