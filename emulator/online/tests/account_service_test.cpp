// Accounts on the virtual clock: RAS-USER-008..011.
#include <boost/test/unit_test.hpp>

#include "emulator/online/account_service.h"
#include "emulator/online/memory_store.h"
#include "emulator/online/tests/test_dates.h"

namespace zairyu::online {
namespace {

using test::D;

struct Env {
  VirtualClock clock{JstTime(D(2025, 4, 1), 10)};
  MemoryStore store;
  AccountService accounts{clock, store};

  static RegisterRequest Person() {
    RegisterRequest r{"user-1", "me@example.jp", "pass-1", {}};
    r.credentials.category = UserCategory::kForeignNational;
    r.credentials.card_has_signature_cert = r.credentials.card_has_auth_cert = true;
    r.credentials.has_residence_card = true;
    return r;
  }

  std::vector<std::string> MailKinds() const {
    std::vector<std::string> kinds;
    for (const auto& i : store.Outbox()) kinds.push_back(i.kind);
    return kinds;
  }
};

std::string ReasonOf(const Result<Account>& r) { return r.ok() ? "passed" : r.rejection().reason; }

BOOST_AUTO_TEST_SUITE(account_service)

// RAS-USER-011: register once, log in with ID and password.
BOOST_AUTO_TEST_CASE(ras_user_011_register_and_login) {
  Env env;
  BOOST_TEST(ReasonOf(env.accounts.Register(Env::Person())) == "passed");
  const auto again = env.accounts.Register(Env::Person());
  BOOST_TEST(ReasonOf(again) == "ACCOUNT_ALREADY_EXISTS");
  BOOST_TEST((again.rejection().category == ErrorCategory::kAlreadyExists));
  BOOST_TEST(ReasonOf(env.accounts.Login("user-1", "pass-1")) == "passed");
  BOOST_TEST(ReasonOf(env.accounts.Login("user-1", "pass-2")) == "LOGIN_FAILED");
  BOOST_TEST(ReasonOf(env.accounts.Login("nobody", "pass-1")) == "LOGIN_FAILED");
  RegisterRequest empty = Env::Person();
  empty.user_id = "user-2";
  empty.password.clear();
  BOOST_TEST(ReasonOf(env.accounts.Register(empty)) == "PASSWORD_INVALID");
}

BOOST_AUTO_TEST_CASE(registration_checks_requirements) {
  Env env;
  RegisterRequest r = Env::Person();
  r.credentials.card_has_auth_cert = false;
  BOOST_TEST(ReasonOf(env.accounts.Register(r)) == "MY_NUMBER_CARD_REQUIRED");
  env.clock.Set(JstTime(D(2022, 3, 15)));
  BOOST_TEST(ReasonOf(env.accounts.Register(Env::Person())) == "USER_CATEGORY_NOT_YET_SUPPORTED");
}

// RAS-USER-008: no login from one year after setting; a change restarts the term.
BOOST_AUTO_TEST_CASE(ras_user_008_password_expiry_and_change) {
  Env env;
  env.accounts.Register(Env::Person());
  env.clock.Set(JstTime(D(2026, 3, 31), 23, 59));
  BOOST_TEST(ReasonOf(env.accounts.Login("user-1", "pass-1")) == "passed");
  env.clock.Set(JstTime(D(2026, 4, 1)));
  BOOST_TEST(ReasonOf(env.accounts.Login("user-1", "pass-1")) == "PASSWORD_EXPIRED");
  BOOST_TEST(env.accounts.ChangePassword("user-1", "wrong", "pass-2").has_value());
  BOOST_TEST(!env.accounts.ChangePassword("user-1", "pass-1", "pass-2").has_value());
  BOOST_TEST(ReasonOf(env.accounts.Login("user-1", "pass-2")) == "passed");
  BOOST_TEST(ReasonOf(env.accounts.Login("user-1", "pass-1")) == "LOGIN_FAILED");
}

// RAS-USER-009: reminders 30 and 7 days before, once each.
BOOST_AUTO_TEST_CASE(ras_user_009_password_reminders) {
  Env env;
  env.accounts.Register(Env::Person());  // expires 2026-04-01
  env.clock.Set(JstTime(D(2026, 3, 1), 23));
  BOOST_TEST(env.accounts.ProcessDue() == 0);
  env.clock.Set(JstTime(D(2026, 3, 2)));
  BOOST_TEST(env.accounts.ProcessDue() == 1);
  BOOST_TEST(env.accounts.ProcessDue() == 0);
  env.clock.Set(JstTime(D(2026, 3, 25)));
  BOOST_TEST(env.accounts.ProcessDue() == 1);
  BOOST_TEST(
      (env.MailKinds() == std::vector<std::string>{"PASSWORD_REMINDER_30", "PASSWORD_REMINDER_7"}));
  env.clock.Set(JstTime(D(2026, 4, 2)));
  BOOST_TEST(env.accounts.ProcessDue() == 0);  // expired: no more reminders
}

// RAS-USER-010 and RAS-USER-005: approval reminder, expiry, new term by report.
BOOST_AUTO_TEST_CASE(ras_user_010_approval_reminder_and_report) {
  Env env;
  RegisterRequest r{"org-1", "hr@example.co.jp", "pw", {}};
  r.credentials.category = UserCategory::kOrganizationStaff;
  r.credentials.approval = OrganizationApproval{D(2025, 4, 1), {}};  // expires 2026-04-01
  BOOST_TEST(ReasonOf(env.accounts.Register(r)) == "passed");
  env.clock.Set(JstTime(D(2026, 1, 31)));
  BOOST_TEST(env.accounts.ProcessDue() == 0);
  env.clock.Set(JstTime(D(2026, 2, 1)));
  BOOST_TEST(env.accounts.ProcessDue() == 1);
  BOOST_TEST(env.MailKinds().back() == "APPROVAL_REMINDER");
  env.clock.Set(JstTime(D(2026, 4, 1)));
  BOOST_TEST(ReasonOf(env.accounts.Login("org-1", "pw")) == "PASSWORD_EXPIRED");
  BOOST_TEST(!env.accounts.ChangePassword("org-1", "pw", "pw2").has_value());
  BOOST_TEST(ReasonOf(env.accounts.Login("org-1", "pw2")) == "ORGANIZATION_APPROVAL_EXPIRED");
  BOOST_TEST(!env.accounts.SetApproval("org-1", {D(2025, 4, 1), {D(2026, 3, 1)}}).has_value());
  BOOST_TEST(ReasonOf(env.accounts.Login("org-1", "pw2")) == "passed");
  BOOST_TEST(env.accounts.SetApproval("nobody", {D(2025, 4, 1), {}}).has_value());
}

// RAS-USER-012: a reset code by mail to the registered address sets a new
// password, also over an expired one, and starts a new term.
BOOST_AUTO_TEST_CASE(ras_user_012_password_reset_by_mail) {
  Env env;
  int issued = 0;
  AccountService accounts(env.clock, env.store,
                          [&issued] { return "CODE-" + std::to_string(++issued); });
  accounts.Register(Env::Person());  // expires 2026-04-01
  BOOST_TEST(accounts.RequestPasswordReset("user-1", "other@example.jp").rejection().reason ==
             "ACCOUNT_NOT_FOUND");
  BOOST_TEST(accounts.RequestPasswordReset("nobody", "me@example.jp").rejection().reason ==
             "ACCOUNT_NOT_FOUND");
  BOOST_TEST(env.store.Outbox().empty());
  env.clock.Set(JstTime(D(2026, 4, 2), 10));  // the password has expired
  const auto expires = accounts.RequestPasswordReset("user-1", "me@example.jp");
  BOOST_REQUIRE(expires.ok());
  BOOST_TEST((expires.value() == JstTime(D(2026, 4, 3), 10)));
  const OutboxItem mail = env.store.Outbox().back();
  BOOST_TEST(mail.kind == "PASSWORD_RESET");
  BOOST_TEST(mail.to == "me@example.jp");
  BOOST_TEST(mail.rule_id == "RAS-USER-012");
  BOOST_TEST(mail.body.find("CODE-1") != std::string::npos);
  const auto reason = [](const Check& c) { return c ? c->reason : "passed"; };
  BOOST_TEST(reason(accounts.CompletePasswordReset("user-1", "CODE-2", "new")) ==
             "RESET_CODE_INVALID");
  BOOST_TEST(reason(accounts.CompletePasswordReset("user-1", "CODE-1", "")) == "PASSWORD_INVALID");
  BOOST_TEST(reason(accounts.CompletePasswordReset("user-1", "CODE-1", "new")) == "passed");
  BOOST_TEST(ReasonOf(accounts.Login("user-1", "new")) == "passed");
  BOOST_TEST(ReasonOf(accounts.Login("user-1", "pass-1")) == "LOGIN_FAILED");
  // Single use.
  BOOST_TEST(reason(accounts.CompletePasswordReset("user-1", "CODE-1", "again")) ==
             "RESET_CODE_INVALID");
  // The new term runs one year from the reset day.
  env.clock.Set(JstTime(D(2027, 4, 1), 23));
  BOOST_TEST(ReasonOf(accounts.Login("user-1", "new")) == "passed");
  env.clock.Set(JstTime(D(2027, 4, 2)));
  BOOST_TEST(ReasonOf(accounts.Login("user-1", "new")) == "PASSWORD_EXPIRED");
}

// RAS-USER-012: a code works 24 hours of virtual time; a new request
// replaces the old code.
BOOST_AUTO_TEST_CASE(ras_user_012_reset_code_expires_and_is_replaced) {
  Env env;
  int issued = 0;
  AccountService accounts(env.clock, env.store,
                          [&issued] { return "CODE-" + std::to_string(++issued); });
  accounts.Register(Env::Person());
  const auto reason = [](const Check& c) { return c ? c->reason : "passed"; };
  BOOST_REQUIRE(accounts.RequestPasswordReset("user-1", "me@example.jp").ok());
  env.clock.Advance(std::chrono::hours(24) + std::chrono::seconds(1));
  BOOST_TEST(reason(accounts.CompletePasswordReset("user-1", "CODE-1", "new")) ==
             "RESET_CODE_EXPIRED");
  BOOST_REQUIRE(accounts.RequestPasswordReset("user-1", "me@example.jp").ok());
  BOOST_REQUIRE(accounts.RequestPasswordReset("user-1", "me@example.jp").ok());
  BOOST_TEST(reason(accounts.CompletePasswordReset("user-1", "CODE-2", "new")) ==
             "RESET_CODE_INVALID");
  env.clock.Advance(std::chrono::hours(24));
  BOOST_TEST(reason(accounts.CompletePasswordReset("user-1", "CODE-3", "new")) == "passed");
}

// The default code generator gives a fresh random code each time.
BOOST_AUTO_TEST_CASE(ras_user_012_default_codes_are_random) {
  Env env;
  env.accounts.Register(Env::Person());
  BOOST_REQUIRE(env.accounts.RequestPasswordReset("user-1", "me@example.jp").ok());
  BOOST_REQUIRE(env.accounts.RequestPasswordReset("user-1", "me@example.jp").ok());
  const auto mails = env.store.Outbox();
  BOOST_REQUIRE(mails.size() == 2U);
  BOOST_TEST(mails[0].body != mails[1].body);
  BOOST_TEST(mails[0].body.size() > 40U);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace zairyu::online
