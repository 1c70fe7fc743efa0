// Password validity of RAS accounts ([UPD], online-system.md §1.4).
#pragma once

#include <array>

#include "emulator/online/jst.h"
#include "emulator/online/rejection.h"

namespace zairyu::online {

// RAS-USER-008: a password set on day D works up to the day before D + 1 year;
// from D + 1 year login is refused (PASSWORD_EXPIRED).
Date PasswordExpiresOn(Date set_on);
Check CheckPasswordValid(Date set_on, Date today);
// RAS-USER-009: reminder mails 30 and 7 days before the expiry day.
std::array<Date, 2> PasswordReminderDays(Date set_on);

}  // namespace zairyu::online
