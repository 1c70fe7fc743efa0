// A filed 届出 of the e-notification system as stored.
#pragma once

#include <string>

#include "emulator/online/clock.h"
#include "emulator/online/notification.h"

namespace zairyu::online {

struct NotificationRecord {
  std::string id;  // "N20260105-000001"; the key
  std::string user_id;
  std::string user_email;
  NotificationRequest request;
  Instant filed_at;
  Date deadline;      // NotificationDeadline
  bool late = false;  // filed after the deadline (ENS-DATE-001: accepted, marked)
};

}  // namespace zairyu::online
