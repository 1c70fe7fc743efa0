#include "emulator/online/jst.h"

#include <fmt/format.h>

namespace zairyu::online {

using std::chrono::days;
using std::chrono::sys_days;

Date JstDate(Instant t) { return Date{std::chrono::floor<days>(t + kJstOffset)}; }

Instant JstTime(Date d, int hours, int minutes, int seconds) {
  return Instant{sys_days{d}} - kJstOffset + std::chrono::hours{hours} +
         std::chrono::minutes{minutes} + std::chrono::seconds{seconds};
}

Date AddDays(Date d, int n) { return Date{sys_days{d} + days{n}}; }

Date AddMonths(Date d, int n) {
  Date moved = d + std::chrono::months{n};
  if (!moved.ok()) moved = moved.year() / moved.month() / std::chrono::last;
  return moved;
}

Date AddYears(Date d, int n) {
  Date moved = d + std::chrono::years{n};
  if (!moved.ok()) moved = moved.year() / moved.month() / std::chrono::last;
  return moved;
}

int AgeOn(Date birth, Date on) {
  int age = static_cast<int>(on.year()) - static_cast<int>(birth.year());
  // The birthday of the year `on` falls in; Feb 29 in a common year is Mar 1.
  Date birthday = on.year() / birth.month() / birth.day();
  if (!birthday.ok()) birthday = on.year() / std::chrono::March / 1;
  if (on < birthday) --age;
  return age;
}

std::string FormatDate(Date d) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(d.year()),
                     static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
}

}  // namespace zairyu::online
