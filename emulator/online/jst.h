// Civil dates in Japan Standard Time (UTC+9, no daylight saving), the time
// zone every date rule of the online system is stated in.
#pragma once

#include <chrono>
#include <string>

#include "emulator/online/clock.h"

namespace zairyu::online {

using Date = std::chrono::year_month_day;

inline constexpr std::chrono::hours kJstOffset{9};

// The JST calendar date of an instant.
Date JstDate(Instant t);
// The instant of hh:mm:ss JST on `d`.
Instant JstTime(Date d, int hours = 0, int minutes = 0, int seconds = 0);
// `d` plus n days (n may be negative).
Date AddDays(Date d, int n);
// `d` plus n calendar months (n may be negative); a day that does not exist in
// the target month becomes that month's last day (Jan 31 + 1 month = Feb 28/29).
Date AddMonths(Date d, int n);
// `d` plus n years, Feb 29 becoming Feb 28 in a common year.
Date AddYears(Date d, int n);
// Completed years of age on `on`. The age goes up on the birthday itself; a
// person born on Feb 29 turns a year older on Mar 1 in common years (the
// Japanese age-reckoning law counts to the end of the previous day, which
// gives the same day).
int AgeOn(Date birth, Date on);
// "2025-03-31".
std::string FormatDate(Date d);

}  // namespace zairyu::online
