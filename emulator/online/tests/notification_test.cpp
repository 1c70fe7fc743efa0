// The e-notification system: ENS-* rules and NotificationService.
#include <boost/test/unit_test.hpp>

#include "emulator/online/memory_store.h"
#include "emulator/online/notification_service.h"
#include "emulator/online/tests/test_dates.h"

namespace zairyu::online {
namespace {

using test::D;
using K = NotificationKind;
using E = NotificationEvent;

NotificationRequest Request(K kind, E event, Date event_date, std::string status = "") {
  NotificationRequest r;
  r.kind = kind;
  r.event = event;
  r.event_date = event_date;
  r.status = {std::move(status), ""};
  r.organization_name = "株式会社テスト";
  return r;
}

std::string ReasonOf(const Check& c) { return c ? c->reason : "passed"; }
std::string RuleOf(const Check& c) { return c ? c->rule_id : ""; }

const Date kToday = D(2026, 2, 10);

BOOST_AUTO_TEST_SUITE(notification_rules)

// ENS-FILER-001: the foreigner files 19-16, organization staff 19-17 and
// 特定技能, support-organization staff their own; nobody else.
BOOST_AUTO_TEST_CASE(ens_filer_001_who_files_what) {
  const auto divorce = Request(K::kSpouse, E::kDivorce, D(2026, 2, 1), "家族滞在");
  BOOST_TEST(ReasonOf(CheckNotification(UserCategory::kForeignNational, divorce, kToday)) ==
             "passed");
  for (UserCategory c : {UserCategory::kRelative, UserCategory::kLegalRepresentative,
                         UserCategory::kLawyerOrScrivener, UserCategory::kOrganizationStaff}) {
    const Check refused = CheckNotification(c, divorce, kToday);
    BOOST_TEST(ReasonOf(refused) == "NOTIFICATION_FILER_NOT_PERMITTED");
    BOOST_TEST(RuleOf(refused) == "ENS-FILER-001");
    BOOST_TEST(static_cast<int>(refused->category) ==
               static_cast<int>(ErrorCategory::kPermissionDenied));
  }
  const auto acceptance =
      Request(K::kOrganizationAcceptance, E::kAcceptanceStarted, D(2026, 2, 1), "留学");
  BOOST_TEST(ReasonOf(CheckNotification(UserCategory::kOrganizationStaff, acceptance, kToday)) ==
             "passed");
  BOOST_TEST(ReasonOf(CheckNotification(UserCategory::kForeignNational, acceptance, kToday)) ==
             "NOTIFICATION_FILER_NOT_PERMITTED");
  const auto support = Request(K::kSupportOrgAdHoc, E::kRegistrationChanged, D(2026, 2, 1));
  BOOST_TEST(ReasonOf(CheckNotification(UserCategory::kRegisteredSupportOrgStaff, support,
                                        kToday)) == "passed");
  BOOST_TEST(ReasonOf(CheckNotification(UserCategory::kOrganizationStaff, support, kToday)) ==
             "NOTIFICATION_FILER_NOT_PERMITTED");
}

// ENS-EVENT-001: each kind has its own events.
BOOST_AUTO_TEST_CASE(ens_event_001_event_belongs_to_the_kind) {
  const auto wrong = Request(K::kSpouse, E::kContractEnded, D(2026, 2, 1), "家族滞在");
  const Check c = CheckNotification(UserCategory::kForeignNational, wrong, kToday);
  BOOST_TEST(ReasonOf(c) == "NOTIFICATION_EVENT_INVALID");
  BOOST_TEST(RuleOf(c) == "ENS-EVENT-001");
  BOOST_TEST(c->field_violations.at(0).field == "event");
  BOOST_TEST(ReasonOf(CheckNotification(
                 UserCategory::kForeignNational,
                 Request(K::kContractOrganization, E::kContractEnded, D(2026, 2, 1), "技能"),
                 kToday)) == "passed");
  BOOST_TEST(ReasonOf(CheckNotification(
                 UserCategory::kForeignNational,
                 Request(K::kActivityOrganization, E::kContractEnded, D(2026, 2, 1), "留学"),
                 kToday)) == "NOTIFICATION_EVENT_INVALID");
}

// ENS-KIND-001: 活動機関 only for the activity-based statuses.
BOOST_AUTO_TEST_CASE(ens_kind_001_activity_based_statuses) {
  const auto f = [](std::string status, std::string designation = "") {
    auto r = Request(K::kActivityOrganization, E::kLeftOrganization, D(2026, 2, 1), status);
    r.status.designation = std::move(designation);
    return CheckNotification(UserCategory::kForeignNational, r, kToday);
  };
  BOOST_TEST(ReasonOf(f("留学")) == "passed");
  BOOST_TEST(ReasonOf(f("技能実習", "団体監理型")) == "passed");
  BOOST_TEST(ReasonOf(f("高度専門職", "1号ハ")) == "passed");
  BOOST_TEST(ReasonOf(f("高度専門職", "1号イ")) == "NOTIFICATION_NOT_APPLICABLE");
  BOOST_TEST(RuleOf(f("技術・人文知識・国際業務")) == "ENS-KIND-001");
  BOOST_TEST(ReasonOf(f("")) == "NOTIFICATION_NOT_APPLICABLE");
}

// ENS-KIND-002: 契約機関 only for the contract-based statuses.
BOOST_AUTO_TEST_CASE(ens_kind_002_contract_based_statuses) {
  const auto f = [](std::string status) {
    return CheckNotification(
        UserCategory::kForeignNational,
        Request(K::kContractOrganization, E::kNewContract, D(2026, 2, 1), std::move(status)),
        kToday);
  };
  BOOST_TEST(ReasonOf(f("技術・人文知識・国際業務")) == "passed");
  BOOST_TEST(ReasonOf(f("特定技能")) == "passed");
  const Check c = f("留学");
  BOOST_TEST(ReasonOf(c) == "NOTIFICATION_NOT_APPLICABLE");
  BOOST_TEST(RuleOf(c) == "ENS-KIND-002");
}

// ENS-KIND-003: 配偶者 only for the spouse-based statuses.
BOOST_AUTO_TEST_CASE(ens_kind_003_spouse_based_statuses) {
  const auto f = [](std::string status, std::string designation = "") {
    auto r = Request(K::kSpouse, E::kSpouseDied, D(2026, 2, 1), std::move(status));
    r.status.designation = std::move(designation);
    return CheckNotification(UserCategory::kForeignNational, r, kToday);
  };
  BOOST_TEST(ReasonOf(f("日本人の配偶者等")) == "passed");
  BOOST_TEST(ReasonOf(f("特定活動", "高度専門職外国人の配偶者")) == "passed");
  BOOST_TEST(ReasonOf(f("特定活動", "出国準備期間")) == "NOTIFICATION_NOT_APPLICABLE");
  BOOST_TEST(RuleOf(f("永住者")) == "ENS-KIND-003");
}

// ENS-KIND-004: the organization's 19-17 届出, not for 特定技能.
BOOST_AUTO_TEST_CASE(ens_kind_004_organization_acceptance_statuses) {
  const auto f = [](std::string status) {
    return CheckNotification(
        UserCategory::kOrganizationStaff,
        Request(K::kOrganizationAcceptance, E::kAcceptanceEnded, D(2026, 2, 1), std::move(status)),
        kToday);
  };
  BOOST_TEST(ReasonOf(f("技術・人文知識・国際業務")) == "passed");
  const Check c = f("特定技能");
  BOOST_TEST(ReasonOf(c) == "NOTIFICATION_NOT_APPLICABLE");
  BOOST_TEST(RuleOf(c) == "ENS-KIND-004");
}

// ENS-KIND-005: 特定技能所属機関の随時届出 concern a 特定技能 worker.
BOOST_AUTO_TEST_CASE(ens_kind_005_ssw_ad_hoc_needs_ssw) {
  const auto f = [](std::string status) {
    return CheckNotification(
        UserCategory::kOrganizationStaff,
        Request(K::kSswAdHoc, E::kContractChanged, D(2026, 2, 1), std::move(status)), kToday);
  };
  BOOST_TEST(ReasonOf(f("特定技能")) == "passed");
  BOOST_TEST(RuleOf(f("技能")) == "ENS-KIND-005");
}

// ENS-OPEN-001: no 特定技能 届出 before 2019-04-01.
BOOST_AUTO_TEST_CASE(ens_open_001_ssw_from_2019_04_01) {
  const auto r = Request(K::kSswAdHoc, E::kMisconduct, D(2019, 3, 1), "特定技能");
  const Check c = CheckNotification(UserCategory::kOrganizationStaff, r, D(2019, 3, 31));
  BOOST_TEST(ReasonOf(c) == "NOTIFICATION_NOT_AVAILABLE");
  BOOST_TEST(RuleOf(c) == "ENS-OPEN-001");
  BOOST_TEST(ReasonOf(CheckNotification(UserCategory::kOrganizationStaff, r, D(2019, 4, 1))) ==
             "passed");
}

// ENS-DATE-002: a future event date is refused; today is fine.
BOOST_AUTO_TEST_CASE(ens_date_002_event_not_in_the_future) {
  auto r = Request(K::kSpouse, E::kDivorce, kToday, "家族滞在");
  BOOST_TEST(ReasonOf(CheckNotification(UserCategory::kForeignNational, r, kToday)) == "passed");
  r.event_date = D(2026, 2, 11);
  const Check c = CheckNotification(UserCategory::kForeignNational, r, kToday);
  BOOST_TEST(ReasonOf(c) == "EVENT_DATE_IN_FUTURE");
  BOOST_TEST(RuleOf(c) == "ENS-DATE-002");
  BOOST_TEST(c->field_violations.at(0).field == "event_date");
}

// ENS-DATE-001: 14 days counted from the day after the event.
BOOST_AUTO_TEST_CASE(ens_date_001_deadline_is_event_plus_14_days) {
  BOOST_TEST(FormatDate(NotificationDeadline(K::kSpouse, D(2026, 1, 20))) == "2026-02-03");
  BOOST_TEST(FormatDate(NotificationDeadline(K::kSswAdHoc, D(2026, 12, 25))) == "2027-01-08");
}

// ENS-DATE-003: quarterly reports up to the quarter ending 2025-03-31 (due
// the 15th of the next month), then April-March years filed by May 31.
BOOST_AUTO_TEST_CASE(ens_date_003_periodic_report_periods) {
  BOOST_TEST(FormatDate(NotificationDeadline(K::kSswPeriodic, D(2024, 12, 31))) == "2025-01-15");
  BOOST_TEST(FormatDate(NotificationDeadline(K::kSswPeriodic, D(2025, 3, 31))) == "2025-04-15");
  BOOST_TEST(FormatDate(NotificationDeadline(K::kSupportOrgPeriodic, D(2026, 3, 31))) ==
             "2026-05-31");
  const auto f = [](Date end, Date today) {
    return CheckNotification(UserCategory::kOrganizationStaff,
                             Request(K::kSswPeriodic, E::kPeriodicReport, end), today);
  };
  BOOST_TEST(ReasonOf(f(D(2024, 9, 30), D(2024, 10, 3))) == "passed");
  BOOST_TEST(ReasonOf(f(D(2026, 3, 31), D(2026, 4, 1))) == "passed");
  const Check mid_quarter = f(D(2024, 8, 31), D(2024, 10, 3));
  BOOST_TEST(ReasonOf(mid_quarter) == "REPORT_PERIOD_INVALID");
  BOOST_TEST(RuleOf(mid_quarter) == "ENS-DATE-003");
  // The quarters after 2025-03 are no reporting period any more.
  BOOST_TEST(ReasonOf(f(D(2025, 6, 30), D(2025, 7, 3))) == "REPORT_PERIOD_INVALID");
  // A period that has not ended cannot be reported.
  BOOST_TEST(ReasonOf(f(D(2026, 3, 31), D(2026, 3, 31))) == "EVENT_DATE_IN_FUTURE");
}

BOOST_AUTO_TEST_CASE(names_round_trip) {
  for (int k = 0; k <= static_cast<int>(K::kSupportOrgPeriodic); ++k) {
    const auto kind = static_cast<K>(k);
    BOOST_TEST((ParseNotificationKind(NotificationKindName(kind)) == kind));
    BOOST_TEST((ParseNotificationKind(NotificationKindTitle(kind)) == kind));
  }
  for (int e = 0; e <= static_cast<int>(E::kPeriodicReport); ++e) {
    const auto event = static_cast<E>(e);
    BOOST_TEST((ParseNotificationEvent(NotificationEventName(event)) == event));
  }
  BOOST_TEST(!ParseNotificationKind("所属機関に関する届出").has_value());
}

BOOST_AUTO_TEST_SUITE_END()

struct Env {
  VirtualClock clock{JstTime(D(2026, 2, 10), 10)};
  MemoryStore store;
  NotificationFiling Filing(Date event_date) const {
    return {"user-1", "me@example.jp", UserCategory::kForeignNational,
            Request(K::kSpouse, E::kDivorce, event_date, "家族滞在")};
  }
};

BOOST_AUTO_TEST_SUITE(notification_service)

// ENS-LIFE-001: filed, mailed at once, listed for its user only.
BOOST_AUTO_TEST_CASE(ens_life_001_receipt_mail_and_listing) {
  Env env;
  NotificationService service(env.clock, env.store);
  auto filed = service.Submit(env.Filing(D(2026, 2, 1)));
  BOOST_REQUIRE(filed.ok());
  BOOST_TEST(filed.value().id == "N20260210-000001");
  BOOST_TEST(!filed.value().late);
  BOOST_TEST(FormatDate(filed.value().deadline) == "2026-02-15");
  const auto mails = env.store.Outbox();
  BOOST_REQUIRE(mails.size() == 1U);
  BOOST_TEST(mails[0].kind == "NOTIFICATION_RECEIPT");
  BOOST_TEST(mails[0].to == "me@example.jp");
  BOOST_TEST(mails[0].application_id == filed.value().id);
  BOOST_TEST(mails[0].rule_id == "ENS-LIFE-001");
  BOOST_TEST(mails[0].body.find("N20260210-000001") != std::string::npos);
  BOOST_REQUIRE(service.Submit(env.Filing(D(2026, 2, 2))).ok());
  const auto mine = service.List("user-1");
  BOOST_REQUIRE(mine.size() == 2U);
  BOOST_TEST(mine[1].id == "N20260210-000002");
  BOOST_TEST(service.List("someone-else").empty());
}

// ENS-DATE-001: a late 届出 is accepted and marked late by default, the mail
// says so; on the deadline day it is not late.
BOOST_AUTO_TEST_CASE(ens_date_001_late_is_accepted_and_marked) {
  Env env;
  NotificationService service(env.clock, env.store);
  auto on_time = service.Submit(env.Filing(D(2026, 1, 27)));  // deadline 02-10 = today
  BOOST_REQUIRE(on_time.ok());
  BOOST_TEST(!on_time.value().late);
  auto late = service.Submit(env.Filing(D(2026, 1, 26)));
  BOOST_REQUIRE(late.ok());
  BOOST_TEST(late.value().late);
  BOOST_TEST(env.store.Outbox().back().body.find("過ぎて") != std::string::npos);
  BOOST_TEST(env.store.Events().back().kind == "NOTIFICATION_FILED_LATE");
}

// ENS-DATE-001 with the option: a late 届出 is refused and nothing is stored.
BOOST_AUTO_TEST_CASE(ens_date_001_late_refused_when_configured) {
  Env env;
  NotificationService service(env.clock, env.store, NotificationOptions{true});
  auto late = service.Submit(env.Filing(D(2026, 1, 26)));
  BOOST_REQUIRE(!late.ok());
  BOOST_TEST(late.rejection().reason == "NOTIFICATION_LATE");
  BOOST_TEST(late.rejection().rule_id == "ENS-DATE-001");
  BOOST_TEST(env.store.Outbox().empty());
  BOOST_TEST(service.List("user-1").empty());
}

// A refused filing stores nothing (ENS-FILER-001 through the service).
BOOST_AUTO_TEST_CASE(ens_filer_001_refusal_stores_nothing) {
  Env env;
  NotificationService service(env.clock, env.store);
  NotificationFiling f = env.Filing(D(2026, 2, 1));
  f.category = UserCategory::kRelative;
  BOOST_TEST(service.Submit(f).rejection().reason == "NOTIFICATION_FILER_NOT_PERMITTED");
  BOOST_TEST(env.store.Outbox().empty());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace zairyu::online
