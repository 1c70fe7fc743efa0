// The account backend a gRPC handler calls: registration, login with ID and
// password, password change, and the reminder mails that fall due on the
// clock. The card (certificate) part of login runs before, in
// certificate_check; this class checks the ID, the password, its validity and
// the category's requirements (e.g. an organization approval still valid).
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

#include "emulator/online/account.h"
#include "emulator/online/clock.h"
#include "emulator/online/rejection.h"
#include "emulator/online/rule_calendar.h"
#include "emulator/online/store.h"

namespace zairyu::online {

struct RegisterRequest {
  std::string user_id;
  std::string email;
  std::string password;
  UserCredentials credentials;
};

// RAS-USER-012: how long a reset code works (virtual time). The real
// lifetime is not documented; a day is the emulator's choice.
inline constexpr std::chrono::hours kResetCodeLifetime{24};

class AccountService {
 public:
  // `reset_codes` makes the password-reset codes; the default draws 16 hex
  // digits from OpenSSL's RAND_bytes. Tests pass a fixed one. `rules` says
  // which day's rule set applies (the opening dates RAS-OPEN-001/002).
  AccountService(const Clock& clock, Store& store,
                 std::function<std::string()> reset_codes = nullptr,
                 const RuleCalendar& rules = RuleCalendar::FollowingTheDate());

  // RAS-USER-011 (ACCOUNT_ALREADY_EXISTS) and CheckUserRequirements; an empty
  // password is an INVALID_ARGUMENT field violation.
  Result<Account> Register(const RegisterRequest& request);
  // LOGIN_FAILED for an unknown ID or a wrong password alike, then
  // PASSWORD_EXPIRED (RAS-USER-008), then the category's requirements.
  Result<Account> Login(std::string_view user_id, std::string_view password);
  // Needs the current password, even an expired one; restarts the 1-year term.
  Check ChangePassword(std::string_view user_id, std::string_view old_password,
                       std::string_view new_password);
  // RAS-USER-012 「パスワードを忘れた場合」: the ID and the registered e-mail
  // address must match (else ACCOUNT_NOT_FOUND for both alike); mails a
  // single-use reset code to that address (PASSWORD_RESET) and returns until
  // when it works. A new request replaces an earlier code.
  Result<Instant> RequestPasswordReset(std::string_view user_id, std::string_view email);
  // Sets `new_password` with the mailed code, even over an expired password;
  // restarts the 1-year term. RESET_CODE_INVALID (wrong, used or no code),
  // RESET_CODE_EXPIRED, PASSWORD_INVALID.
  Check CompletePasswordReset(std::string_view user_id, std::string_view code,
                              std::string_view new_password);
  // A new approval term after a periodic report (control plane).
  Check SetApproval(std::string_view user_id, const OrganizationApproval& approval);
  // Mails the reminders that are due: password 30 and 7 days before expiry
  // (RAS-USER-009), approval 2 months before (RAS-USER-010). Each goes once;
  // after a clock jump past both password days only the 7-day one goes.
  int ProcessDue();

 private:
  Result<Account> Authenticate(std::string_view user_id, std::string_view password) const;
  // Sets the password and restarts its term and reminders.
  void SetPassword(StoreBatch& batch, Account a, std::string_view password, std::string event);
  void Remind(StoreBatch& batch, const Account& a, std::string_view kind, std::string_view rule,
              std::string subject);

  const Clock& clock_;
  Store& store_;
  std::function<std::string()> reset_codes_;
  const RuleCalendar& rules_;
  std::mutex mu_;  // one state change at a time
};

}  // namespace zairyu::online
