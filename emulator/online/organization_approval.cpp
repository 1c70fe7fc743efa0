#include "emulator/online/organization_approval.h"

#include <algorithm>

#include "emulator/online/rule_catalog.h"

namespace zairyu::online {
namespace {

// Years one approval or report is worth when approved on `d`.
int TermYears(Date d) { return RuleInForce("RAS-USER-006", d) ? 3 : 1; }

}  // namespace

Date OrganizationApproval::ExpiresOn() const {
  Date expiry = AddYears(password_set_on, TermYears(password_set_on));
  std::vector<Date> reports = reports_approved_on;
  std::sort(reports.begin(), reports.end());
  for (Date r : reports) expiry = AddYears(expiry, TermYears(r));
  return expiry;
}

Date OrganizationApproval::ReminderOn() const { return AddMonths(ExpiresOn(), -2); }

}  // namespace zairyu::online
