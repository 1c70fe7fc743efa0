// Status of residence (在留資格) and period of stay (在留期間) as the rules
// need them. Statuses are the Japanese names used on the residence card
// ("留学", "特定活動"); `designation` narrows 特定活動 and 技能実習 (e.g.
// "出国準備期間", "団体監理型").
#pragma once

#include <string>
#include <string_view>

namespace zairyu::online {

namespace status {
inline constexpr std::string_view kDiplomat = "外交";
inline constexpr std::string_view kOfficial = "公用";
inline constexpr std::string_view kTemporaryVisitor = "短期滞在";
inline constexpr std::string_view kDesignatedActivities = "特定活動";
inline constexpr std::string_view kTechnicalIntern = "技能実習";
inline constexpr std::string_view kSpecialPermanentResident = "特別永住者";
inline constexpr std::string_view kSpouseOfJapanese = "日本人の配偶者等";
inline constexpr std::string_view kSpouseOfPermanentResident = "永住者の配偶者等";
inline constexpr std::string_view kLongTermResident = "定住者";
// Designations.
inline constexpr std::string_view kPreparationForDeparture = "出国準備期間";
inline constexpr std::string_view kSupervisingOrganizationType = "団体監理型";
}  // namespace status

struct StatusOfResidence {
  std::string name;         // empty = no status (e.g. a COE applicant abroad)
  std::string designation;  // optional refinement, see above

  bool Is(std::string_view n) const { return name == n; }
};

// A granted period of stay such as "1年", "3月" or "90日". Permanent statuses
// have no period (`indefinite`).
struct PeriodOfStay {
  int years = 0;
  int months = 0;
  int days = 0;
  bool indefinite = false;

  // "3月" or less. A period given in days counts as 3 months or less up to 90
  // days (the 短期滞在 90日 convention).
  bool AtMostThreeMonths() const;
};

}  // namespace zairyu::online
