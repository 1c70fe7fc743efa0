// A registered RAS user (利用者情報登録) as stored.
#pragma once

#include <optional>
#include <string>

#include "emulator/online/clock.h"
#include "emulator/online/jst.h"
#include "emulator/online/user_requirements.h"

namespace zairyu::online {

struct Account {
  std::string user_id;  // 認証ID
  std::string email;
  UserCredentials credentials;  // as registered; approvals are updated in place
  std::string password_hash;    // see password_hash.h
  Date password_set_on;
  // Reminder mails already sent for the current password / approval term.
  bool password_reminded_30 = false;
  bool password_reminded_7 = false;
  bool approval_reminded = false;
  // RAS-USER-012: the pending password-reset code (hashed like a password)
  // and until when it works; empty / nullopt when none is pending.
  std::string reset_code_hash{};
  std::optional<Instant> reset_expires_at{};
};

}  // namespace zairyu::online
