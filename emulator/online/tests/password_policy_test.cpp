// Password validity: RAS-USER-008 and RAS-USER-009.
#include <boost/test/unit_test.hpp>

#include "emulator/online/password_policy.h"
#include "emulator/online/tests/test_dates.h"

namespace zairyu::online {
namespace {

using test::D;

BOOST_AUTO_TEST_SUITE(password_policy)

// RAS-USER-008
BOOST_AUTO_TEST_CASE(ras_user_008_expires_after_one_year) {
  BOOST_TEST(!CheckPasswordValid(D(2025, 4, 1), D(2026, 3, 31)).has_value());
  const Check c = CheckPasswordValid(D(2025, 4, 1), D(2026, 4, 1));
  BOOST_REQUIRE(c.has_value());
  BOOST_TEST(c->reason == "PASSWORD_EXPIRED");
  BOOST_TEST(c->rule_id == "RAS-USER-008");
  BOOST_TEST((c->category == ErrorCategory::kUnauthenticated));
}

// RAS-USER-009
BOOST_AUTO_TEST_CASE(ras_user_009_reminders_30_and_7_days_before) {
  const auto days = PasswordReminderDays(D(2025, 4, 1));
  BOOST_TEST(FormatDate(days[0]) == "2026-03-02");
  BOOST_TEST(FormatDate(days[1]) == "2026-03-25");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace zairyu::online
