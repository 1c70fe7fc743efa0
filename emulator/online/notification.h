// The e-notification system (電子届出システム, online-system.md §5): the kinds
// of 届出, who may file each, which events and statuses each covers, and the
// deadline. Pure rules; NotificationService stores and mails.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "emulator/online/clock.h"
#include "emulator/online/jst.h"
#include "emulator/online/rejection.h"
#include "emulator/online/status_of_residence.h"
#include "emulator/online/user_category.h"

namespace zairyu::online {

enum class NotificationKind {
  kActivityOrganization,  // 19-16 item 1: 活動機関に関する届出 (the foreigner)
  kContractOrganization,  // 19-16 item 2: 契約機関に関する届出 (the foreigner)
  kSpouse,                // 19-16 item 3: 配偶者に関する届出 (the foreigner)
  kOrganizationAcceptance,  // 19-17: 中長期在留者の受入れに関する届出 (the organization)
  kSswAdHoc,                // 特定技能所属機関の随時届出 (19-18 ¶1)
  kSswPeriodic,             // 特定技能所属機関の定期届出 (19-18 ¶2)
  kSupportOrgAdHoc,     // 登録支援機関の随時届出 (19-27 ¶1, 19-29 ¶1, Rule 19-23 ¶2)
  kSupportOrgPeriodic,  // 登録支援機関の定期届出 (19-30 ¶2)
};

enum class NotificationEvent {
  kOrganizationRenamed,     // 名称変更
  kOrganizationMoved,       // 所在地変更
  kOrganizationDissolved,   // 消滅
  kLeftOrganization,        // 離脱
  kJoinedOrganization,      // 移籍
  kContractEnded,           // 契約の終了
  kNewContract,             // 新たな契約の締結
  kDivorce,                 // 配偶者との離婚
  kSpouseDied,              // 配偶者との死別
  kAcceptanceStarted,       // 受入れの開始
  kAcceptanceEnded,         // 受入れの終了
  kContractChanged,         // 雇用契約の変更
  kSupportPlanChanged,      // 支援計画の変更
  kSupportContractChanged,  // 支援委託契約の締結・変更・終了
  kAcceptanceDifficulty,    // 受入れ困難
  kMisconduct,  // 出入国又は労働に関する法令に関し不正又は著しく不当な行為
  kRegistrationChanged,  // 登録事項の変更
  kSupportSuspended,     // 支援業務の休止・廃止
  kPeriodicReport,       // 定期届出 (event date = last day of the reporting period)
};

// Stable machine names ("ACTIVITY_ORGANIZATION", "DIVORCE") and the Japanese
// name of a kind ("活動機関に関する届出").
std::string_view NotificationKindName(NotificationKind k);
std::string_view NotificationKindTitle(NotificationKind k);
std::string_view NotificationEventName(NotificationEvent e);
// Parses a stable name; nullopt for an unknown one. ParseNotificationKind
// also takes the Japanese name.
std::optional<NotificationKind> ParseNotificationKind(std::string_view name);
std::optional<NotificationEvent> ParseNotificationEvent(std::string_view name);

// What the filer sends.
struct NotificationRequest {
  NotificationKind kind = NotificationKind::kActivityOrganization;
  NotificationEvent event = NotificationEvent::kOrganizationRenamed;
  Date event_date;  // the day it happened; for periodic reports the period's last day
  // The status of the foreigner concerned (the filer for 19-16).
  StatusOfResidence status;
  std::string organization_name;              // the 機関 the notification is about
  std::map<std::string, std::string> fields;  // the rest of the form, kept as given
};

// Choices where the real behaviour is not documented.
struct NotificationOptions {
  // ENS-DATE-001: the system accepts a late notification and marks it late
  // (default; the law fines the delay, Act 71-2/71-3, but a late 届出 is still
  // the only way to comply, and no source reports the system refusing one).
  // true refuses it with NOTIFICATION_LATE instead.
  bool refuse_late = false;
};

// The deadline of a notification about `event_date` (inclusive):
// ENS-DATE-001 ad-hoc 届出: 14 days counted from the day after the event
// (初日不算入), i.e. event + 14. ENS-DATE-003 periodic reports: quarterly
// periods (ending by 2025-03-31) are due on the 15th of the next month (the
// 14 days from the next quarter's first day); yearly periods (April–March,
// from the one ending 2026-03-31) are filed 4/1–5/31.
Date NotificationDeadline(NotificationKind kind, Date event_date);

// ENS-OPEN-001, ENS-FILER-001, ENS-EVENT-001, ENS-KIND-001..004, ENS-DATE-002
// and ENS-DATE-003 (period shape) in that order; the first rejection wins.
// The deadline itself (ENS-DATE-001) is NotificationService's: late is not
// an error by default.
Check CheckNotification(UserCategory filer, const NotificationRequest& request, Date today);

}  // namespace zairyu::online
