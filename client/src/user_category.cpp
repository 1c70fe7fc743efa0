// Names of the seven user categories.
#include <array>
#include <stdexcept>
#include <string_view>

#include "zairyu/client/online_client.h"

namespace zairyu::client {
namespace {

struct CategoryNames {
  UserCategory category;
  std::string_view id;
  std::string_view japanese;
};

constexpr std::array<CategoryNames, 7> kCategories{{
    {UserCategory::kOrganizationStaff, "organization_staff", "所属機関の職員"},
    {UserCategory::kLawyerOrScrivener, "lawyer_or_scrivener", "弁護士・行政書士"},
    {UserCategory::kPublicInterestCorpStaff, "public_interest_corp_staff", "公益法人の職員"},
    {UserCategory::kRegisteredSupportOrgStaff, "registered_support_org_staff",
     "登録支援機関の職員"},
    {UserCategory::kForeignNational, "foreign_national", "外国人本人"},
    {UserCategory::kLegalRepresentative, "legal_representative", "法定代理人"},
    {UserCategory::kRelative, "relative", "親族"},
}};

}  // namespace

bool needs_card(UserCategory category) {
  return category == UserCategory::kForeignNational ||
         category == UserCategory::kLegalRepresentative || category == UserCategory::kRelative;
}

std::string to_string(UserCategory category) {
  for (const auto& c : kCategories) {
    if (c.category == category) return std::string(c.id);
  }
  throw std::invalid_argument("not a user category: " + std::to_string(static_cast<int>(category)));
}

std::string japanese_name(UserCategory category) {
  for (const auto& c : kCategories) {
    if (c.category == category) return std::string(c.japanese);
  }
  return to_string(category);  // throws
}

UserCategory parse_user_category(const std::string& name) {
  std::string known;
  for (const auto& c : kCategories) {
    if (name == c.id || name == c.japanese) return c.category;
    known += (known.empty() ? "" : ", ") + std::string(c.id);
  }
  throw std::invalid_argument("unknown user category \"" + name.substr(0, 64) + "\" (one of " +
                              known + ", or the Japanese name)");
}

}  // namespace zairyu::client
