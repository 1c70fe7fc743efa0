// The seven procedures that can be filed online ([S0][S3][QA][SCOPE],
// online-system.md §2.1). 永住許可 and residence-card procedures are not
// among them.
#pragma once

#include <string_view>

namespace zairyu::online {

enum class Procedure {
  kCertificateOfEligibility,  // 在留資格認定証明書交付 (COE)
  kChangeOfStatus,            // 在留資格変更
  kExtensionOfStay,           // 在留期間更新
  kAcquisitionOfStatus,       // 在留資格取得
  kEmploymentCertificate,     // 就労資格証明書交付
  kReentryPermit,             // 再入国許可
  kOtherActivityPermission,   // 資格外活動許可
};

// Stable machine name, e.g. "EXTENSION_OF_STAY".
std::string_view ProcedureName(Procedure p);

}  // namespace zairyu::online
