#include "emulator/online/user_category.h"

namespace zairyu::online {

std::string_view CategoryName(UserCategory c) {
  switch (c) {
    case UserCategory::kOrganizationStaff:
      return "ORGANIZATION_STAFF";
    case UserCategory::kLawyerOrScrivener:
      return "LAWYER_OR_SCRIVENER";
    case UserCategory::kPublicInterestCorpStaff:
      return "PUBLIC_INTEREST_CORPORATION_STAFF";
    case UserCategory::kRegisteredSupportOrgStaff:
      return "REGISTERED_SUPPORT_ORGANIZATION_STAFF";
    case UserCategory::kForeignNational:
      return "FOREIGN_NATIONAL";
    case UserCategory::kLegalRepresentative:
      return "LEGAL_REPRESENTATIVE";
    case UserCategory::kRelative:
      return "RELATIVE";
  }
  return "UNKNOWN";
}

bool IsIndividual(UserCategory c) {
  return c == UserCategory::kForeignNational || c == UserCategory::kLegalRepresentative ||
         c == UserCategory::kRelative;
}

bool NeedsOrganizationApproval(UserCategory c) {
  return c == UserCategory::kOrganizationStaff || c == UserCategory::kPublicInterestCorpStaff ||
         c == UserCategory::kRegisteredSupportOrgStaff;
}

}  // namespace zairyu::online
