#include "emulator/online/account_service.h"

#include <openssl/rand.h>

#include <array>
#include <stdexcept>

#include <fmt/format.h>

#include "emulator/online/password_hash.h"
#include "emulator/online/password_policy.h"
#include "emulator/online/rule_catalog.h"

namespace zairyu::online {
namespace {

Rejection LoginFailed() {
  return Reject("RAS-USER-011", "LOGIN_FAILED", ErrorCategory::kUnauthenticated,
                "the ID or the password is wrong");
}

Rejection EmptyPassword() {
  Rejection r = Reject("RAS-USER-011", "PASSWORD_INVALID", ErrorCategory::kInvalidArgument,
                       "the password must not be empty");
  r.field_violations.push_back({"password", r.message});
  return r;
}

Rejection ResetCodeInvalid(std::string_view reason, std::string message) {
  return Reject("RAS-USER-012", reason, ErrorCategory::kUnauthenticated, std::move(message));
}

std::string RandomResetCode() {
  std::array<unsigned char, 8> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw std::runtime_error("RAND_bytes failed");
  }
  std::string code;
  for (const unsigned char b : bytes) code += fmt::format("{:02X}", b);
  return code;
}

}  // namespace

AccountService::AccountService(const Clock& clock, Store& store,
                               std::function<std::string()> reset_codes, const RuleCalendar& rules)
    : clock_(clock),
      store_(store),
      reset_codes_(reset_codes ? std::move(reset_codes) : RandomResetCode),
      rules_(rules) {}

Result<Account> AccountService::Register(const RegisterRequest& request) {
  std::lock_guard lock(mu_);
  const Date today = JstDate(clock_.Now());
  if (request.password.empty()) return EmptyPassword();
  if (store_.GetAccount(request.user_id)) {
    return Reject("RAS-USER-011", "ACCOUNT_ALREADY_EXISTS", ErrorCategory::kAlreadyExists,
                  "the ID " + request.user_id + " is already registered");
  }
  if (Check c = CheckUserRequirements(request.credentials, today, rules_)) return *c;
  Account a{request.user_id, request.email, request.credentials,
            HashPassword(request.user_id, request.password), today};
  StoreBatch batch;
  batch.accounts.push_back(a);
  batch.events.push_back({clock_.Now(), "ACCOUNT_REGISTERED", a.user_id,
                          std::string(CategoryName(a.credentials.category))});
  store_.Apply(batch);
  return a;
}

Result<Account> AccountService::Authenticate(std::string_view user_id,
                                             std::string_view password) const {
  auto a = store_.GetAccount(user_id);
  if (!a || !PasswordMatches(user_id, password, a->password_hash)) return LoginFailed();
  return *a;
}

Result<Account> AccountService::Login(std::string_view user_id, std::string_view password) {
  auto a = Authenticate(user_id, password);
  if (!a.ok()) return a;
  const Date today = JstDate(clock_.Now());
  if (Check c = CheckPasswordValid(a.value().password_set_on, today)) return *c;
  if (Check c = CheckUserRequirements(a.value().credentials, today, rules_)) return *c;
  return a;
}

Check AccountService::ChangePassword(std::string_view user_id, std::string_view old_password,
                                     std::string_view new_password) {
  std::lock_guard lock(mu_);
  auto found = Authenticate(user_id, old_password);
  if (!found.ok()) return found.rejection();
  if (new_password.empty()) return EmptyPassword();
  StoreBatch batch;
  SetPassword(batch, found.value(), new_password, "PASSWORD_CHANGED");
  store_.Apply(batch);
  return std::nullopt;
}

void AccountService::SetPassword(StoreBatch& batch, Account a, std::string_view password,
                                 std::string event) {
  a.password_hash = HashPassword(a.user_id, password);
  a.password_set_on = JstDate(clock_.Now());
  a.password_reminded_30 = a.password_reminded_7 = false;
  a.reset_code_hash.clear();
  a.reset_expires_at.reset();
  batch.events.push_back({clock_.Now(), std::move(event), a.user_id, ""});
  batch.accounts.push_back(std::move(a));
}

Result<Instant> AccountService::RequestPasswordReset(std::string_view user_id,
                                                     std::string_view email) {
  std::lock_guard lock(mu_);
  auto a = store_.GetAccount(user_id);
  if (!a || a->email != email) {
    return Reject("RAS-USER-012", "ACCOUNT_NOT_FOUND", ErrorCategory::kNotFound,
                  "no account with this ID and e-mail address");
  }
  const std::string code = reset_codes_();
  const Instant expires_at = clock_.Now() + kResetCodeLifetime;
  a->reset_code_hash = HashPassword(a->user_id, code);
  a->reset_expires_at = expires_at;
  StoreBatch batch;
  batch.outbox.push_back({Channel::kEmail, "PASSWORD_RESET", a->email,
                          "【在留申請オンラインシステム】パスワード再設定のお知らせ",
                          "認証ID: " + a->user_id + "\n再設定コード: " + code +
                              "\nhttps://www.ras-immi.moj.go.jp/password-reset?code=" + code,
                          "", clock_.Now(), "RAS-USER-012"});
  batch.events.push_back({clock_.Now(), "PASSWORD_RESET_REQUESTED", a->user_id, ""});
  batch.accounts.push_back(*a);
  store_.Apply(batch);
  return expires_at;
}

Check AccountService::CompletePasswordReset(std::string_view user_id, std::string_view code,
                                            std::string_view new_password) {
  std::lock_guard lock(mu_);
  auto a = store_.GetAccount(user_id);
  if (!a || !a->reset_expires_at || code.empty() ||
      !PasswordMatches(user_id, code, a->reset_code_hash)) {
    return ResetCodeInvalid("RESET_CODE_INVALID", "the reset code is wrong or already used");
  }
  if (clock_.Now() > *a->reset_expires_at) {
    return ResetCodeInvalid("RESET_CODE_EXPIRED", "the reset code has expired; request a new one");
  }
  if (new_password.empty()) return EmptyPassword();
  StoreBatch batch;
  SetPassword(batch, *a, new_password, "PASSWORD_RESET");
  store_.Apply(batch);
  return std::nullopt;
}

Check AccountService::SetApproval(std::string_view user_id, const OrganizationApproval& approval) {
  std::lock_guard lock(mu_);
  auto a = store_.GetAccount(user_id);
  if (!a) {
    return Reject("RAS-USER-011", "ACCOUNT_NOT_FOUND", ErrorCategory::kNotFound,
                  "no account " + std::string(user_id));
  }
  a->credentials.approval = approval;
  a->approval_reminded = false;
  StoreBatch batch;
  batch.accounts.push_back(*a);
  batch.events.push_back(
      {clock_.Now(), "APPROVAL_SET", a->user_id, "expires " + FormatDate(approval.ExpiresOn())});
  store_.Apply(batch);
  return std::nullopt;
}

void AccountService::Remind(StoreBatch& batch, const Account& a, std::string_view kind,
                            std::string_view rule, std::string subject) {
  batch.outbox.push_back({Channel::kEmail, std::string(kind), a.email,
                          "【在留申請オンラインシステム】" + subject, "認証ID: " + a.user_id, "",
                          clock_.Now(), std::string(rule)});
}

int AccountService::ProcessDue() {
  std::lock_guard lock(mu_);
  const Date today = JstDate(clock_.Now());
  StoreBatch batch;
  for (Account a : store_.ListAccounts()) {
    const std::size_t before = batch.outbox.size();
    const auto days = PasswordReminderDays(a.password_set_on);
    const bool live = today < PasswordExpiresOn(a.password_set_on);
    if (live && today >= days[1] && !a.password_reminded_7) {
      Remind(batch, a, "PASSWORD_REMINDER_7", "RAS-USER-009", "パスワード有効期限のお知らせ");
      a.password_reminded_7 = a.password_reminded_30 = true;
    } else if (live && today >= days[0] && !a.password_reminded_30) {
      Remind(batch, a, "PASSWORD_REMINDER_30", "RAS-USER-009", "パスワード有効期限のお知らせ");
      a.password_reminded_30 = true;
    }
    const auto& approval = a.credentials.approval;
    if (approval && !a.approval_reminded && today >= approval->ReminderOn() &&
        today < approval->ExpiresOn()) {
      Remind(batch, a, "APPROVAL_REMINDER", "RAS-USER-010", "利用申出の有効期限のお知らせ");
      a.approval_reminded = true;
    }
    if (batch.outbox.size() != before) batch.accounts.push_back(a);
  }
  store_.Apply(batch);
  return static_cast<int>(batch.outbox.size());
}

}  // namespace zairyu::online
