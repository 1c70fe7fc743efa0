// Who may file which procedure for whom, and when ([S3][OS][SCOPE][BYUSER]
// [BD][LASTDAY], online-system.md §1.3, §2.1–2.3, §3).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "emulator/online/jst.h"
#include "emulator/online/procedure.h"
#include "emulator/online/rejection.h"
#include "emulator/online/rule_calendar.h"
#include "emulator/online/status_of_residence.h"
#include "emulator/online/user_category.h"

namespace zairyu::online {

// The person the application is for.
struct Applicant {
  Date birth_date;
  StatusOfResidence status;  // held now; empty for a COE applicant abroad
  PeriodOfStay period_of_stay;
  std::optional<Date> stay_expires_on;  // last day of the period of stay
  // Why the applicant cannot file himself (illness or similar); lets a
  // relative file for an applicant aged 16 or more ([S3] 注5).
  std::string inability_reason;
};

// The user who files.
struct Filer {
  UserCategory category = UserCategory::kForeignNational;
  // The filer's organization is a 監理団体 (技能実習 団体監理型, [S3] 1※).
  bool is_supervising_organization = false;
};

// 受領方法 of a COE ([S3]): paper by post, or e-mail from 2023-03-17.
enum class CoeReceipt { kPaper, kEmail };

struct ApplicationRequest {
  Filer filer;
  Applicant applicant;
  std::vector<Procedure> procedures;
  StatusOfResidence requested_status;  // for COE, change and acquisition
  CoeReceipt coe_receipt = CoeReceipt::kPaper;
};

// Choices where sources disagree.
struct EligibilityOptions {
  // RAS-PROC-001: ISA pages and the seeds allow 再入国 and 資格外活動 only
  // together with change, extension or acquisition (default). One law office
  // [ASOF] reports 資格外活動 alone online from 2025; true allows that.
  bool other_activity_standalone = false;
};

// Runs every application rule in a fixed order (opening date, form, procedure
// combination, filer-specific rules, status scope, timing, COE receipt) and
// returns the first rejection. Dated rules are read from `rules` (the rule
// set of `today` unless a rule-set date is pinned); ages and the period of
// stay are measured at `today`.
Check CheckApplication(const ApplicationRequest& request, Date today,
                       const EligibilityOptions& options = {},
                       const RuleCalendar& rules = RuleCalendar::FollowingTheDate());

}  // namespace zairyu::online
