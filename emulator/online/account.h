// A registered RAS user (利用者情報登録) as stored.
#pragma once

#include <string>

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
};

}  // namespace zairyu::online
