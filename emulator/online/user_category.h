// The seven kinds of users of the online system ([S3][OS], online-system.md
// §1.1). Keyed on the role, not the agency's numbering, which differs between
// pages ([QA]).
#pragma once

#include <string_view>

namespace zairyu::online {

enum class UserCategory {
  kOrganizationStaff,          // 所属機関の職員
  kLawyerOrScrivener,          // 弁護士・行政書士
  kPublicInterestCorpStaff,    // 公益法人の職員
  kRegisteredSupportOrgStaff,  // 登録支援機関の職員
  kForeignNational,            // 外国人本人
  kLegalRepresentative,        // 法定代理人
  kRelative,                   // 親族 (配偶者、子、父又は母)
};

// Stable machine name, e.g. "FOREIGN_NATIONAL".
std::string_view CategoryName(UserCategory c);
// 本人, 法定代理人 and 親族: they use a My Number Card and opened on 2022-03-16.
bool IsIndividual(UserCategory c);
// Organization, 公益法人 and 登録支援機関 staff: they need an approval (利用申出).
bool NeedsOrganizationApproval(UserCategory c);

}  // namespace zairyu::online
