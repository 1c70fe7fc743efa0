// Organization approval validity: RAS-USER-005, RAS-USER-006, RAS-USER-010.
#include <boost/test/unit_test.hpp>

#include "emulator/online/organization_approval.h"
#include "emulator/online/tests/test_dates.h"

namespace zairyu::online {
namespace {

using test::D;

BOOST_AUTO_TEST_SUITE(organization_approval)

// RAS-USER-005: one year from the password, one more per periodic report.
BOOST_AUTO_TEST_CASE(ras_user_005_one_year_plus_reports) {
  OrganizationApproval a{D(2023, 5, 10), {}};
  BOOST_TEST(FormatDate(a.ExpiresOn()) == "2024-05-10");
  a.reports_approved_on = {D(2024, 4, 1)};
  BOOST_TEST(FormatDate(a.ExpiresOn()) == "2025-05-10");
}

// RAS-USER-006: from 2026-01-05 approvals and reports are worth 3 years.
BOOST_AUTO_TEST_CASE(ras_user_006_three_years_from_2026_01_05) {
  BOOST_TEST(FormatDate(OrganizationApproval{D(2026, 1, 4), {}}.ExpiresOn()) == "2027-01-04");
  BOOST_TEST(FormatDate(OrganizationApproval{D(2026, 1, 5), {}}.ExpiresOn()) == "2029-01-05");
  // An existing approval is not extended by the switch, only by a report.
  OrganizationApproval old{D(2025, 3, 1), {}};
  BOOST_TEST(FormatDate(old.ExpiresOn()) == "2026-03-01");
  old.reports_approved_on = {D(2026, 1, 20)};
  BOOST_TEST(FormatDate(old.ExpiresOn()) == "2029-03-01");
}

// RAS-USER-010: reminder two months before expiry.
BOOST_AUTO_TEST_CASE(ras_user_010_reminder_two_months_before) {
  BOOST_TEST(FormatDate(OrganizationApproval{D(2024, 4, 30), {}}.ReminderOn()) == "2025-02-28");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace zairyu::online
