// Clock and JST civil-date helpers.
#include <boost/test/unit_test.hpp>

#include "emulator/online/clock.h"
#include "emulator/online/jst.h"
#include "emulator/online/tests/test_dates.h"

namespace zairyu::online {
namespace {

using test::D;

BOOST_AUTO_TEST_SUITE(clock_and_jst)

BOOST_AUTO_TEST_CASE(virtual_clock_sets_and_advances) {
  VirtualClock clock(JstTime(D(2025, 1, 1), 9));
  clock.Advance(std::chrono::hours{24});
  BOOST_TEST(FormatDate(JstDate(clock.Now())) == "2025-01-02");
  clock.Set(JstTime(D(2019, 7, 25)));
  BOOST_TEST(FormatDate(JstDate(clock.Now())) == "2019-07-25");
}

BOOST_AUTO_TEST_CASE(real_clock_is_after_2024) {
  RealClock clock;
  BOOST_TEST((JstDate(clock.Now()) > D(2024, 1, 1)));
}

BOOST_AUTO_TEST_CASE(jst_date_changes_at_15_utc) {
  // 14:59:59 UTC is 23:59:59 JST; one second later it is the next JST day.
  const Instant before = JstTime(D(2026, 1, 4), 23, 59, 59);
  BOOST_TEST(FormatDate(JstDate(before)) == "2026-01-04");
  BOOST_TEST(FormatDate(JstDate(before + std::chrono::seconds{1})) == "2026-01-05");
  const auto utc = std::chrono::floor<std::chrono::days>(before);
  BOOST_TEST(FormatDate(Date{utc}) == "2026-01-04");
}

BOOST_AUTO_TEST_CASE(months_clamp_to_month_end) {
  BOOST_TEST(FormatDate(AddMonths(D(2025, 5, 31), -3)) == "2025-02-28");
  BOOST_TEST(FormatDate(AddMonths(D(2024, 5, 31), -3)) == "2024-02-29");
  BOOST_TEST(FormatDate(AddYears(D(2024, 2, 29), 1)) == "2025-02-28");
  BOOST_TEST(FormatDate(AddDays(D(2024, 3, 1), -1)) == "2024-02-29");
}

BOOST_AUTO_TEST_CASE(age_goes_up_on_the_birthday) {
  BOOST_TEST(AgeOn(D(2010, 6, 15), D(2025, 6, 14)) == 14);
  BOOST_TEST(AgeOn(D(2010, 6, 15), D(2025, 6, 15)) == 15);
  BOOST_TEST(AgeOn(D(2008, 2, 29), D(2023, 2, 28)) == 14);
  BOOST_TEST(AgeOn(D(2008, 2, 29), D(2023, 3, 1)) == 15);
  BOOST_TEST(AgeOn(D(2008, 2, 29), D(2024, 2, 29)) == 16);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace zairyu::online
