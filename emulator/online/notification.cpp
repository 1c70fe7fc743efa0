#include "emulator/online/notification.h"

#include <algorithm>
#include <array>
#include <span>

#include "emulator/online/rule_catalog.h"

namespace zairyu::online {
namespace {

using K = NotificationKind;
using E = NotificationEvent;
using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

struct KindInfo {
  K kind;
  std::string_view name;
  std::string_view title;
};

constexpr std::array kKinds = {
    KindInfo{K::kActivityOrganization, "ACTIVITY_ORGANIZATION", "活動機関に関する届出"},
    KindInfo{K::kContractOrganization, "CONTRACT_ORGANIZATION", "契約機関に関する届出"},
    KindInfo{K::kSpouse, "SPOUSE", "配偶者に関する届出"},
    KindInfo{K::kOrganizationAcceptance, "ORGANIZATION_ACCEPTANCE",
             "中長期在留者の受入れに関する届出"},
    KindInfo{K::kSswAdHoc, "SSW_AD_HOC", "特定技能所属機関による随時届出"},
    KindInfo{K::kSswPeriodic, "SSW_PERIODIC", "特定技能所属機関による定期届出"},
    KindInfo{K::kSupportOrgAdHoc, "SUPPORT_ORG_AD_HOC", "登録支援機関による随時届出"},
    KindInfo{K::kSupportOrgPeriodic, "SUPPORT_ORG_PERIODIC", "登録支援機関による定期届出"},
};

constexpr std::array<std::pair<E, std::string_view>, 19> kEvents = {{
    {E::kOrganizationRenamed, "ORGANIZATION_RENAMED"},
    {E::kOrganizationMoved, "ORGANIZATION_MOVED"},
    {E::kOrganizationDissolved, "ORGANIZATION_DISSOLVED"},
    {E::kLeftOrganization, "LEFT_ORGANIZATION"},
    {E::kJoinedOrganization, "JOINED_ORGANIZATION"},
    {E::kContractEnded, "CONTRACT_ENDED"},
    {E::kNewContract, "NEW_CONTRACT"},
    {E::kDivorce, "DIVORCE"},
    {E::kSpouseDied, "SPOUSE_DIED"},
    {E::kAcceptanceStarted, "ACCEPTANCE_STARTED"},
    {E::kAcceptanceEnded, "ACCEPTANCE_ENDED"},
    {E::kContractChanged, "CONTRACT_CHANGED"},
    {E::kSupportPlanChanged, "SUPPORT_PLAN_CHANGED"},
    {E::kSupportContractChanged, "SUPPORT_CONTRACT_CHANGED"},
    {E::kAcceptanceDifficulty, "ACCEPTANCE_DIFFICULTY"},
    {E::kMisconduct, "MISCONDUCT"},
    {E::kRegistrationChanged, "REGISTRATION_CHANGED"},
    {E::kSupportSuspended, "SUPPORT_SUSPENDED"},
    {E::kPeriodicReport, "PERIODIC_REPORT"},
}};

// 特定技能 and the 登録支援機関 were created on 2019-04-01.
constexpr Date kSswStart = Date{year{2019}, std::chrono::April, day{1}};
// [SSW] the last quarterly period ended 2025-03-31 (due 2025-04-15); the
// first yearly one is 2025-04 .. 2026-03.
constexpr Date kLastQuarterlyEnd = Date{year{2025}, std::chrono::March, day{31}};
constexpr Date kFirstYearlyEnd = Date{year{2026}, std::chrono::March, day{31}};

bool IsPeriodic(K k) { return k == K::kSswPeriodic || k == K::kSupportOrgPeriodic; }

bool IsSsw(K k) {
  return k == K::kSswAdHoc || k == K::kSswPeriodic || k == K::kSupportOrgAdHoc ||
         k == K::kSupportOrgPeriodic;
}

// ENS-EVENT-001: the events each kind covers ([GOO][IWASAKA][NAGATA][RIRI]
// for 19-16, [ENSPDF] for 19-17, [SSW][MAYSHOSI][JICWELS] for 特定技能).
constexpr std::array kActivityEvents = {E::kOrganizationRenamed, E::kOrganizationMoved,
                                        E::kOrganizationDissolved, E::kLeftOrganization,
                                        E::kJoinedOrganization};
constexpr std::array kContractEvents = {E::kOrganizationRenamed, E::kOrganizationMoved,
                                        E::kOrganizationDissolved, E::kContractEnded,
                                        E::kNewContract};
constexpr std::array kSpouseEvents = {E::kDivorce, E::kSpouseDied};
constexpr std::array kAcceptanceEvents = {E::kAcceptanceStarted, E::kAcceptanceEnded};
constexpr std::array kSswEvents = {
    E::kContractChanged,        E::kContractEnded,        E::kNewContract, E::kSupportPlanChanged,
    E::kSupportContractChanged, E::kAcceptanceDifficulty, E::kMisconduct};
constexpr std::array kSupportOrgEvents = {E::kRegistrationChanged, E::kSupportSuspended,
                                          E::kSupportContractChanged};
constexpr std::array kPeriodicEvents = {E::kPeriodicReport};

std::span<const E> EventsOf(K k) {
  switch (k) {
    case K::kActivityOrganization:
      return kActivityEvents;
    case K::kContractOrganization:
      return kContractEvents;
    case K::kSpouse:
      return kSpouseEvents;
    case K::kOrganizationAcceptance:
      return kAcceptanceEvents;
    case K::kSswAdHoc:
      return kSswEvents;
    case K::kSupportOrgAdHoc:
      return kSupportOrgEvents;
    case K::kSswPeriodic:
    case K::kSupportOrgPeriodic:
      return kPeriodicEvents;
  }
  return {};
}

bool Contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// 19-16 item 1: 教授, 高度専門職1号ハ/2号ハ, 経営・管理, 法律・会計業務, 医療,
// 教育, 企業内転勤, 技能実習, 留学, 研修.
bool ActivityBased(const StatusOfResidence& s) {
  if (s.Is("高度専門職")) return s.designation.empty() || Contains(s.designation, "ハ");
  for (std::string_view n : {"教授", "経営・管理", "法律・会計業務", "医療", "教育", "企業内転勤",
                             "技能実習", "留学", "研修"}) {
    if (s.Is(n)) return true;
  }
  return false;
}

// 19-16 item 2: 高度専門職1号イ・ロ/2号イ・ロ, 研究, 技術・人文知識・国際業務,
// 介護, 興行 (under a contract), 技能, 特定技能. The domain note ends the list
// with "…"; the rest is the Act's list.
bool ContractBased(const StatusOfResidence& s) {
  if (s.Is("高度専門職")) {
    return s.designation.empty() || Contains(s.designation, "イ") || Contains(s.designation, "ロ");
  }
  for (std::string_view n :
       {"研究", "技術・人文知識・国際業務", "介護", "興行", "技能", "特定技能"}) {
    if (s.Is(n)) return true;
  }
  return false;
}

// 19-16 item 3: 家族滞在, 特定活動 as a spouse, 日本人の配偶者等 and 永住者の配偶者等.
bool SpouseBased(const StatusOfResidence& s) {
  return s.Is("家族滞在") || s.Is(status::kSpouseOfJapanese) ||
         s.Is(status::kSpouseOfPermanentResident) ||
         (s.Is(status::kDesignatedActivities) && Contains(s.designation, "配偶者"));
}

// ENS-KIND-001..004: whether the foreigner's status is one the kind is for.
// 19-17 covers the Rule 19-16 statuses (items 1 and 2) except 特定技能, whose
// organizations file the 特定技能 notifications instead [GOO2][IURIS].
struct StatusRule {
  std::string_view rule;
  bool (*applies)(const StatusOfResidence&);
};

std::optional<StatusRule> StatusRuleOf(K k) {
  switch (k) {
    case K::kActivityOrganization:
      return StatusRule{"ENS-KIND-001", ActivityBased};
    case K::kContractOrganization:
      return StatusRule{"ENS-KIND-002", ContractBased};
    case K::kSpouse:
      return StatusRule{"ENS-KIND-003", SpouseBased};
    case K::kOrganizationAcceptance:
      return StatusRule{"ENS-KIND-004", [](const StatusOfResidence& s) {
                          return !s.Is("特定技能") && (ActivityBased(s) || ContractBased(s));
                        }};
    case K::kSswAdHoc:
      return StatusRule{"ENS-KIND-005",
                        [](const StatusOfResidence& s) { return s.Is("特定技能"); }};
    default:
      return std::nullopt;
  }
}

// ENS-FILER-001: who files what [ENS][S1][ENSREG]. The mid/long-term
// resident files 19-16 himself; 19-17 and the 特定技能所属機関's notifications
// come from the organization's staff; the 登録支援機関's from its staff.
bool MayFile(UserCategory filer, K k) {
  switch (k) {
    case K::kActivityOrganization:
    case K::kContractOrganization:
    case K::kSpouse:
      return filer == UserCategory::kForeignNational;
    case K::kOrganizationAcceptance:
    case K::kSswAdHoc:
    case K::kSswPeriodic:
      return filer == UserCategory::kOrganizationStaff;
    case K::kSupportOrgAdHoc:
    case K::kSupportOrgPeriodic:
      return filer == UserCategory::kRegisteredSupportOrgStaff;
  }
  return false;
}

bool IsQuarterEnd(Date d) {
  const unsigned m = static_cast<unsigned>(d.month());
  return m % 3 == 0 && d == Date{d.year() / d.month() / std::chrono::last};
}

bool IsMarch31(Date d) { return d.month() == std::chrono::March && d.day() == day{31}; }

Rejection Invalid(std::string_view rule, std::string_view reason, std::string field,
                  std::string message) {
  Rejection r = Reject(rule, reason, ErrorCategory::kInvalidArgument, std::move(message));
  r.field_violations.push_back({std::move(field), r.message});
  return r;
}

}  // namespace

std::string_view NotificationKindName(NotificationKind k) {
  for (const auto& info : kKinds) {
    if (info.kind == k) return info.name;
  }
  return "UNKNOWN";
}

std::string_view NotificationKindTitle(NotificationKind k) {
  for (const auto& info : kKinds) {
    if (info.kind == k) return info.title;
  }
  return "";
}

std::string_view NotificationEventName(NotificationEvent e) {
  for (const auto& [event, name] : kEvents) {
    if (event == e) return name;
  }
  return "UNKNOWN";
}

std::optional<NotificationKind> ParseNotificationKind(std::string_view name) {
  for (const auto& info : kKinds) {
    if (info.name == name || info.title == name) return info.kind;
  }
  return std::nullopt;
}

std::optional<NotificationEvent> ParseNotificationEvent(std::string_view name) {
  for (const auto& [event, event_name] : kEvents) {
    if (event_name == name) return event;
  }
  return std::nullopt;
}

Date NotificationDeadline(NotificationKind kind, Date event_date) {
  if (!IsPeriodic(kind)) return AddDays(event_date, 14);
  if (event_date <= kLastQuarterlyEnd) return AddDays(event_date, 15);
  return Date{event_date.year(), std::chrono::May, day{31}};
}

Check CheckNotification(UserCategory filer, const NotificationRequest& request, Date today) {
  const K kind = request.kind;
  const std::string title(NotificationKindTitle(kind));
  if (IsSsw(kind) && today < kSswStart) {
    return Reject("ENS-OPEN-001", "NOTIFICATION_NOT_AVAILABLE", ErrorCategory::kFailedPrecondition,
                  title + " exists only from 2019-04-01 (特定技能)");
  }
  if (!MayFile(filer, kind)) {
    return Reject("ENS-FILER-001", "NOTIFICATION_FILER_NOT_PERMITTED",
                  ErrorCategory::kPermissionDenied,
                  std::string(CategoryName(filer)) + " may not file the " + title);
  }
  const auto events = EventsOf(kind);
  if (std::find(events.begin(), events.end(), request.event) == events.end()) {
    return Invalid(
        "ENS-EVENT-001", "NOTIFICATION_EVENT_INVALID", "event",
        std::string(NotificationEventName(request.event)) + " is not an event of the " + title);
  }
  if (const auto rule = StatusRuleOf(kind); rule && !rule->applies(request.status)) {
    return Reject(rule->rule, "NOTIFICATION_NOT_APPLICABLE", ErrorCategory::kFailedPrecondition,
                  "the status '" + request.status.name + "' is not one the " + title + " is for");
  }
  if (IsPeriodic(kind)) {
    if (request.event_date >= today) {
      return Invalid(
          "ENS-DATE-002", "EVENT_DATE_IN_FUTURE", "event_date",
          "the reporting period ending " + FormatDate(request.event_date) + " has not ended");
    }
    const bool quarterly =
        request.event_date <= kLastQuarterlyEnd && IsQuarterEnd(request.event_date);
    const bool yearly = request.event_date >= kFirstYearlyEnd && IsMarch31(request.event_date);
    if (!quarterly && !yearly) {
      return Invalid("ENS-DATE-003", "REPORT_PERIOD_INVALID", "event_date",
                     FormatDate(request.event_date) +
                         " ends no reporting period (a quarter up to 2025-03-31, then "
                         "April–March years from 2026-03-31)");
    }
  } else if (request.event_date > today) {
    return Invalid("ENS-DATE-002", "EVENT_DATE_IN_FUTURE", "event_date",
                   "the event date " + FormatDate(request.event_date) + " is after today");
  }
  return std::nullopt;
}

}  // namespace zairyu::online
