// The approval of organization, 公益法人 and 登録支援機関 staff to use RAS
// (利用申出, 申請等取次者) and its validity ([RM][TK][NEW26b], online-system.md §1.3).
#pragma once

#include <vector>

#include "emulator/online/jst.h"

namespace zairyu::online {

// RAS-USER-005: valid 1 year from the day the password is first set; each
// approved periodic report (定期報告) adds 1 year to the current expiry.
// RAS-USER-006: an approval or report approved on or after 2026-01-05 adds 3
// years instead. Existing IDs are not extended automatically [NEW26b].
struct OrganizationApproval {
  Date password_set_on;
  std::vector<Date> reports_approved_on;  // in any order

  // The first JST day on which the approval is no longer valid (login stops).
  Date ExpiresOn() const;
  // RAS-USER-010: the day the reminder mail goes out, 2 months before expiry [TK].
  Date ReminderOn() const;
};

}  // namespace zairyu::online
