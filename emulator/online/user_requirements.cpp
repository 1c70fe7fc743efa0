#include "emulator/online/user_requirements.h"

#include <string>

#include "emulator/online/rule_catalog.h"

namespace zairyu::online {

Check CheckCategoryOpen(UserCategory c, Date today, const RuleCalendar& rules) {
  const char* rule = IsIndividual(c) ? "RAS-OPEN-002" : "RAS-OPEN-001";
  if (rules.InForce(rule, today)) return std::nullopt;
  return Reject(rule, "USER_CATEGORY_NOT_YET_SUPPORTED", ErrorCategory::kPermissionDenied,
                std::string("the online system does not serve ") + std::string(CategoryName(c)) +
                    " on " + FormatDate(rules.RulesOn(today)));
}

namespace {

Check CheckIndividual(const UserCredentials& u) {
  if (!u.card_has_signature_cert || !u.card_has_auth_cert) {
    return Reject("RAS-USER-001", "MY_NUMBER_CARD_REQUIRED", ErrorCategory::kFailedPrecondition,
                  "a My Number Card with both the signature and the user-auth certificate is "
                  "required");
  }
  const bool card_needed =
      u.category == UserCategory::kForeignNational || u.filer_is_mid_long_term_resident;
  if (card_needed && !u.has_residence_card) {
    return Reject("RAS-USER-002", "RESIDENCE_CARD_REQUIRED", ErrorCategory::kFailedPrecondition,
                  "the residence card is required");
  }
  return std::nullopt;
}

Check CheckApproval(const UserCredentials& u, Date today) {
  if (!u.approval) {
    return Reject("RAS-USER-004", "ORGANIZATION_APPROVAL_REQUIRED",
                  ErrorCategory::kPermissionDenied,
                  "staff must be approved as 申請等取次者 (利用申出) first");
  }
  const Date expiry = u.approval->ExpiresOn();
  if (today >= expiry) {
    return Reject("RAS-USER-005", "ORGANIZATION_APPROVAL_EXPIRED", ErrorCategory::kPermissionDenied,
                  "the organization's approval expired on " + FormatDate(expiry) +
                      "; a periodic report was due");
  }
  const bool support_body = u.category == UserCategory::kPublicInterestCorpStaff ||
                            u.category == UserCategory::kRegisteredSupportOrgStaff;
  if (support_body && !u.requested_by_organization) {
    return Reject("RAS-USER-007", "ORGANIZATION_REQUEST_REQUIRED", ErrorCategory::kPermissionDenied,
                  "公益法人 and 登録支援機関 staff must be asked to act by the 所属機関");
  }
  return std::nullopt;
}

}  // namespace

Check CheckUserRequirements(const UserCredentials& user, Date today, const RuleCalendar& rules) {
  if (Check open = CheckCategoryOpen(user.category, today, rules)) return open;
  if (IsIndividual(user.category)) return CheckIndividual(user);
  if (NeedsOrganizationApproval(user.category)) return CheckApproval(user, today);
  if (!user.has_notification_certificate) {
    return Reject("RAS-USER-003", "NOTIFICATION_CERTIFICATE_REQUIRED",
                  ErrorCategory::kFailedPrecondition,
                  "弁護士・行政書士 need the 届出済証明書 of their association");
  }
  return std::nullopt;
}

}  // namespace zairyu::online
