// The e-notification system's backend a gRPC handler calls: file a 届出
// (checked by CheckNotification, stored, receipt mailed at once) and list the
// user's own. Login and access run before; this class assumes an
// authenticated user.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "emulator/online/clock.h"
#include "emulator/online/notification.h"
#include "emulator/online/notification_record.h"
#include "emulator/online/store.h"

namespace zairyu::online {

struct NotificationFiling {
  std::string user_id;
  std::string user_email;
  UserCategory category = UserCategory::kForeignNational;
  NotificationRequest notification;
};

class NotificationService {
 public:
  NotificationService(const Clock& clock, Store& store, NotificationOptions options = {});

  // CheckNotification, then the deadline (ENS-DATE-001: a late one is stored
  // marked late, or refused with NOTIFICATION_LATE if options say so), then
  // stores it with the mail 届出受付のお知らせ (ENS-LIFE-001) in one batch.
  Result<NotificationRecord> Submit(const NotificationFiling& filing);
  // The user's notifications in filing order.
  std::vector<NotificationRecord> List(std::string_view user_id) const;

 private:
  const Clock& clock_;
  Store& store_;
  NotificationOptions options_;
};

}  // namespace zairyu::online
