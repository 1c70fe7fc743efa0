#include "emulator/online/password_policy.h"

#include "emulator/online/rule_catalog.h"

namespace zairyu::online {

Date PasswordExpiresOn(Date set_on) { return AddYears(set_on, 1); }

Check CheckPasswordValid(Date set_on, Date today) {
  const Date expiry = PasswordExpiresOn(set_on);
  if (today < expiry) return std::nullopt;
  return Reject("RAS-USER-008", "PASSWORD_EXPIRED", ErrorCategory::kUnauthenticated,
                "the password expired on " + FormatDate(expiry) + "; reset it");
}

std::array<Date, 2> PasswordReminderDays(Date set_on) {
  const Date expiry = PasswordExpiresOn(set_on);
  return {AddDays(expiry, -30), AddDays(expiry, -7)};
}

}  // namespace zairyu::online
