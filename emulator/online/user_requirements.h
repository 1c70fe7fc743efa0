// What each user category must have to register and log in ([S3][S4][OS],
// online-system.md §1.2–1.3), and the opening dates per category.
#pragma once

#include <optional>

#include "emulator/online/jst.h"
#include "emulator/online/organization_approval.h"
#include "emulator/online/rejection.h"
#include "emulator/online/rule_calendar.h"
#include "emulator/online/user_category.h"

namespace zairyu::online {

// What a user presents. Fields not needed by the category are ignored.
struct UserCredentials {
  UserCategory category = UserCategory::kForeignNational;
  // My Number Card with the signature (署名用) and user-auth (利用者証明用) certs.
  bool card_has_signature_cert = false;
  bool card_has_auth_cert = false;
  bool has_residence_card = false;
  // For 法定代理人 and 親族: their residence card is needed only if they are
  // mid/long-term residents themselves [S4].
  bool filer_is_mid_long_term_resident = false;
  // 届出済証明書 of 弁護士・行政書士.
  bool has_notification_certificate = false;
  // 利用申出 approval of the staff's organization.
  std::optional<OrganizationApproval> approval;
  // 公益法人 and 登録支援機関: asked to act by the 所属機関 [S3] 注3.
  bool requested_by_organization = false;
};

// RAS-OPEN-001/002: whether the system serves category `c` on `today` (by
// the rule set `rules` applies then).
Check CheckCategoryOpen(UserCategory c, Date today,
                        const RuleCalendar& rules = RuleCalendar::FollowingTheDate());

// Checks RAS-OPEN-001/002 (is the category served on `today`), then
// RAS-USER-001..005 and 007. The first failing rule wins. An approval's
// term (RAS-USER-006) follows the day it was approved, not `rules`.
Check CheckUserRequirements(const UserCredentials& user, Date today,
                            const RuleCalendar& rules = RuleCalendar::FollowingTheDate());

}  // namespace zairyu::online
