#include "emulator/online/eligibility.h"

#include <algorithm>
#include <set>

#include "emulator/online/rule_catalog.h"
#include "emulator/online/user_requirements.h"

namespace zairyu::online {
namespace {

bool Has(const std::vector<Procedure>& ps, Procedure p) {
  return std::find(ps.begin(), ps.end(), p) != ps.end();
}

Rejection WithField(Rejection r, std::string field) {
  r.field_violations.push_back({std::move(field), r.message});
  return r;
}

// RAS-PROC-006: at least one procedure, none twice.
Check CheckForm(const ApplicationRequest& r) {
  std::set<Procedure> seen(r.procedures.begin(), r.procedures.end());
  if (!r.procedures.empty() && seen.size() == r.procedures.size()) return std::nullopt;
  return WithField(Reject("RAS-PROC-006", "PROCEDURES_INVALID", ErrorCategory::kInvalidArgument,
                          "name at least one procedure, each once"),
                   "procedures");
}

// RAS-PROC-001: 再入国 and 資格外活動 ride along with change, extension or acquisition.
Check CheckCompanion(const ApplicationRequest& r, const EligibilityOptions& o) {
  const auto& ps = r.procedures;
  const bool companion = Has(ps, Procedure::kChangeOfStatus) ||
                         Has(ps, Procedure::kExtensionOfStay) ||
                         Has(ps, Procedure::kAcquisitionOfStatus);
  if (companion) return std::nullopt;
  const bool reentry = Has(ps, Procedure::kReentryPermit);
  const bool other = Has(ps, Procedure::kOtherActivityPermission) && !o.other_activity_standalone;
  if (!reentry && !other) return std::nullopt;
  return WithField(
      Reject("RAS-PROC-001", "PROCEDURE_REQUIRES_COMPANION", ErrorCategory::kInvalidArgument,
             "再入国許可 and 資格外活動許可 can be filed online only together with a change, "
             "extension or acquisition"),
      "procedures");
}

// RAS-ELIG-001..003: the foreigner filing for himself.
Check CheckSelf(const Applicant& a, Date today) {
  static const std::set<std::string_view> kNotMidLongTerm = {status::kDiplomat, status::kOfficial,
                                                             status::kTemporaryVisitor,
                                                             status::kSpecialPermanentResident};
  if (a.status.name.empty() || kNotMidLongTerm.count(a.status.name) > 0) {
    return Reject("RAS-ELIG-001", "APPLICANT_NOT_ELIGIBLE", ErrorCategory::kPermissionDenied,
                  "only mid/long-term residents can file as 本人 (status: " +
                      (a.status.name.empty() ? std::string("none") : a.status.name) + ")");
  }
  if (a.period_of_stay.AtMostThreeMonths()) {
    return Reject("RAS-ELIG-002", "STAY_TOO_SHORT", ErrorCategory::kPermissionDenied,
                  "a period of stay of 3 months or less does not allow filing as 本人");
  }
  if (AgeOn(a.birth_date, today) < 15) {
    return Reject("RAS-ELIG-003", "APPLICANT_UNDER_15", ErrorCategory::kPermissionDenied,
                  "a person under 15 cannot file as 本人; a legal representative or relative can");
  }
  return std::nullopt;
}

// RAS-ELIG-005, then RAS-ELIG-004: what and for whom a relative may file.
Check CheckRelative(const ApplicationRequest& r, Date today) {
  for (Procedure p : {Procedure::kEmploymentCertificate, Procedure::kOtherActivityPermission}) {
    if (Has(r.procedures, p)) {
      return WithField(
          Reject("RAS-ELIG-005", "RELATIVE_NOT_PERMITTED", ErrorCategory::kPermissionDenied,
                 "a relative may not file " + std::string(ProcedureName(p))),
          "procedures");
    }
  }
  const bool under_16 = AgeOn(r.applicant.birth_date, today) < 16;
  if (under_16 || !r.applicant.inability_reason.empty()) return std::nullopt;
  return Reject("RAS-ELIG-004", "RELATIVE_NOT_PERMITTED", ErrorCategory::kPermissionDenied,
                "a relative may file only for an applicant under 16 or unable to file because of "
                "illness or a similar reason (give the reason)");
}

bool OutOfScope(const StatusOfResidence& s) {
  return s.Is(status::kDiplomat) || s.Is(status::kTemporaryVisitor) ||
         (s.Is(status::kDesignatedActivities) && s.designation == status::kPreparationForDeparture);
}

bool AddedIn2022(const StatusOfResidence& s) {
  return s.Is(status::kSpouseOfJapanese) || s.Is(status::kSpouseOfPermanentResident) ||
         s.Is(status::kLongTermResident);
}

// RAS-ELIG-006/007/008: the statuses held and sought.
Check CheckStatuses(const ApplicationRequest& r, Date today, const RuleCalendar& rules) {
  for (const StatusOfResidence* s : {&r.applicant.status, &r.requested_status}) {
    if (OutOfScope(*s)) {
      return Reject("RAS-ELIG-006", "STATUS_NOT_ELIGIBLE", ErrorCategory::kFailedPrecondition,
                    "status " + s->name + " " + s->designation + " cannot be handled online");
    }
    if (AddedIn2022(*s) && rules.InForce("RAS-ELIG-007", today)) {
      return Reject("RAS-ELIG-007", "STATUS_NOT_ELIGIBLE", ErrorCategory::kFailedPrecondition,
                    "status " + s->name + " is online only from 2022-03-16");
    }
    const bool supervised =
        s->Is(status::kTechnicalIntern) && s->designation == status::kSupervisingOrganizationType;
    if (supervised && r.filer.category == UserCategory::kOrganizationStaff &&
        !r.filer.is_supervising_organization) {
      return Reject("RAS-ELIG-008", "FILER_NOT_PERMITTED", ErrorCategory::kPermissionDenied,
                    "技能実習 (団体監理型) is filed only by the 監理団体's staff");
    }
  }
  return std::nullopt;
}

// RAS-PROC-004/003/002: filing time against the period of stay.
Check CheckTiming(const ApplicationRequest& r, Date today) {
  const auto& expiry = r.applicant.stay_expires_on;
  if (!expiry || Has(r.procedures, Procedure::kCertificateOfEligibility)) return std::nullopt;
  if (today > *expiry) {
    return Reject("RAS-PROC-004", "PERIOD_OF_STAY_EXPIRED", ErrorCategory::kFailedPrecondition,
                  "the period of stay ended on " + FormatDate(*expiry));
  }
  if (today == *expiry) {
    return Reject("RAS-PROC-003", "FILED_ON_LAST_DAY_OF_STAY", ErrorCategory::kFailedPrecondition,
                  "the online system does not accept filings on the last day of the period of "
                  "stay; file at the counter");
  }
  const Date earliest = AddMonths(*expiry, -3);
  if (Has(r.procedures, Procedure::kExtensionOfStay) && today < earliest) {
    return Reject("RAS-PROC-002", "EXTENSION_TOO_EARLY", ErrorCategory::kFailedPrecondition,
                  "an extension can be filed from " + FormatDate(earliest));
  }
  return std::nullopt;
}

// RAS-PROC-005: e-mail receipt of a COE.
Check CheckCoeReceipt(const ApplicationRequest& r, Date today, const RuleCalendar& rules) {
  if (r.coe_receipt != CoeReceipt::kEmail || rules.InForce("RAS-PROC-005", today)) {
    return std::nullopt;
  }
  return WithField(
      Reject("RAS-PROC-005", "COE_EMAIL_NOT_AVAILABLE", ErrorCategory::kInvalidArgument,
             "a COE can be received by e-mail only from 2023-03-17"),
      "coe_receipt");
}

}  // namespace

Check CheckApplication(const ApplicationRequest& r, Date today, const EligibilityOptions& o,
                       const RuleCalendar& rules) {
  if (Check c = CheckCategoryOpen(r.filer.category, today, rules)) return c;
  if (Check c = CheckForm(r)) return c;
  if (Check c = CheckCompanion(r, o)) return c;
  if (r.filer.category == UserCategory::kForeignNational) {
    if (Check c = CheckSelf(r.applicant, today)) return c;
  }
  if (r.filer.category == UserCategory::kRelative) {
    if (Check c = CheckRelative(r, today)) return c;
  }
  if (Check c = CheckStatuses(r, today, rules)) return c;
  if (Check c = CheckTiming(r, today)) return c;
  return CheckCoeReceipt(r, today, rules);
}

}  // namespace zairyu::online
