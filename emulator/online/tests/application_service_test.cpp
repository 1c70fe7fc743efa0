// Application lifecycle on the virtual clock: RAS-LIFE-001..007.
#include <algorithm>

#include <boost/test/unit_test.hpp>

#include "emulator/online/application_service.h"
#include "emulator/online/memory_store.h"
#include "emulator/online/tests/test_dates.h"

namespace zairyu::online {
namespace {

using test::D;

// A student extending a 1-year stay that ends 2025-09-30, filing at 15:00 JST
// on 2025-08-01.
struct Env {
  VirtualClock clock{JstTime(D(2025, 8, 1), 15)};
  MemoryStore store;
  ApplicationService service{clock, store};

  SubmitRequest Extension() const {
    SubmitRequest r;
    r.user_id = "user-1";
    r.user_email = "user@example.jp";
    r.applicant_email = "student@example.jp";
    r.postal_address = "東京都新宿区1-1";
    r.application.filer.category = UserCategory::kForeignNational;
    r.application.applicant.birth_date = D(2000, 1, 1);
    r.application.applicant.status = {"留学", ""};
    r.application.applicant.period_of_stay = {1, 0, 0, false};
    r.application.applicant.stay_expires_on = D(2025, 9, 30);
    r.application.procedures = {Procedure::kExtensionOfStay};
    return r;
  }

  std::string SubmitOk(const SubmitRequest& r) {
    auto result = service.Submit(r);
    BOOST_REQUIRE_MESSAGE(result.ok(), (result.ok() ? "" : result.rejection().reason));
    return result.value().provisional_number;
  }

  std::vector<OutboxItem> Items(std::string_view kind) const {
    std::vector<OutboxItem> out = store.Outbox();
    std::erase_if(out, [&](const OutboxItem& i) { return i.kind != kind; });
    return out;
  }
};

BOOST_AUTO_TEST_SUITE(application_service)

// RAS-LIFE-001: provisional number mailed at once.
BOOST_AUTO_TEST_CASE(ras_life_001_acceptance_mail_at_once) {
  Env env;
  const std::string id = env.SubmitOk(env.Extension());
  BOOST_TEST(id == "P20250801-000001");
  const auto mails = env.Items("ACCEPTANCE_NOTICE");
  BOOST_REQUIRE(mails.size() == 1u);
  BOOST_TEST(mails[0].to == "user@example.jp");
  BOOST_TEST(mails[0].subject == "【在留申請オンラインシステム】申請受付完了のお知らせ");
  BOOST_TEST(mails[0].body.find(id) != std::string::npos);
  BOOST_TEST(mails[0].rule_id == "RAS-LIFE-001");
  BOOST_TEST(env.store.Events().size() == 1u);
}

BOOST_AUTO_TEST_CASE(rejected_submission_leaves_no_trace) {
  Env env;
  SubmitRequest r = env.Extension();
  r.application.applicant.birth_date = D(2015, 1, 1);
  const auto result = env.service.Submit(r);
  BOOST_REQUIRE(!result.ok());
  BOOST_TEST(result.rejection().reason == "APPLICANT_UNDER_15");
  BOOST_TEST(env.store.Outbox().empty());
  BOOST_TEST(env.store.ListApplications("user-1").empty());
}

// RAS-LIFE-002: formal number at 02:10 JST the next day, to both addresses.
BOOST_AUTO_TEST_CASE(ras_life_002_receipt_number_at_0210_next_day) {
  Env env;
  const std::string id = env.SubmitOk(env.Extension());
  env.clock.Set(JstTime(D(2025, 8, 2), 2, 9, 59));
  BOOST_TEST(env.service.ProcessDue() == 0);
  BOOST_TEST(!env.service.Get(id, "user-1").value().receipt_number.has_value());
  env.clock.Advance(std::chrono::seconds{1});
  const auto a = env.service.Get(id, "user-1");  // catches up by itself
  BOOST_REQUIRE(a.ok());
  BOOST_TEST(*a.value().receipt_number == "東オンＥＮ25000001");
  BOOST_TEST((a.value().state == ApplicationState::kReceived));
  const auto mails = env.Items("RECEIPT_NUMBER_NOTICE");
  BOOST_REQUIRE(mails.size() == 2u);
  BOOST_TEST(mails[0].to == "user@example.jp");
  BOOST_TEST(mails[1].to == "student@example.jp");
  BOOST_TEST((mails[0].at == JstTime(D(2025, 8, 2), 2, 10)));
  BOOST_TEST(env.service.ProcessDue() == 0);  // issued once only
}

// RAS-LIFE-002: a filing at 00:30 JST gets its number the next day, not 100 minutes later.
BOOST_AUTO_TEST_CASE(ras_life_002_after_midnight_waits_a_day) {
  Env env;
  env.clock.Set(JstTime(D(2025, 8, 1), 0, 30));
  const std::string id = env.SubmitOk(env.Extension());
  env.clock.Set(JstTime(D(2025, 8, 1), 2, 10));
  BOOST_TEST(env.service.ProcessDue() == 0);
  env.clock.Set(JstTime(D(2025, 8, 2), 2, 10));
  BOOST_TEST(env.service.ProcessDue() == 1);
}

// RAS-LIFE-002: after a clock jump the mail still carries 02:10 JST.
BOOST_AUTO_TEST_CASE(ras_life_002_clock_jump_keeps_0210) {
  Env env;
  env.SubmitOk(env.Extension());
  env.clock.Set(JstTime(D(2025, 8, 20), 9));
  BOOST_TEST(env.service.ProcessDue() == 1);
  const auto mails = env.Items("RECEIPT_NUMBER_NOTICE");
  BOOST_REQUIRE(!mails.empty());
  BOOST_TEST((mails[0].at == JstTime(D(2025, 8, 2), 2, 10)));
  BOOST_TEST((env.store.Events().back().at == JstTime(D(2025, 8, 2), 2, 10)));
}

BOOST_AUTO_TEST_CASE(other_users_application_is_not_found) {
  Env env;
  const std::string id = env.SubmitOk(env.Extension());
  const auto r = env.service.Get(id, "user-2");
  BOOST_REQUIRE(!r.ok());
  BOOST_TEST((r.rejection().category == ErrorCategory::kNotFound));
  BOOST_TEST(env.service.List("user-1").size() == 1u);
  BOOST_TEST(env.service.List("user-2").empty());
}

// RAS-LIFE-003 and RAS-LIFE-004: decision mail, then the card by post.
BOOST_AUTO_TEST_CASE(ras_life_003_004_decision_and_card_by_post) {
  Env env;
  const std::string id = env.SubmitOk(env.Extension());
  // Not before the formal number.
  BOOST_TEST(env.service.Decide(id, Decision::kApprove, "").rejection().reason ==
             "APPLICATION_STATE_INVALID");
  env.clock.Set(JstTime(D(2025, 8, 2), 9));
  BOOST_TEST(env.service.Decide(id, Decision::kRequestMaterial, "追加資料").ok());
  BOOST_TEST(env.Items("MATERIAL_REQUEST").size() == 1u);
  const std::vector<std::uint8_t> pdf = {'%', 'P', 'D', 'F', '-'};
  BOOST_TEST(env.service.SubmitMaterial(id, "user-1", {0, {{"more.pdf", pdf}}}).ok());
  const auto approved = env.service.Decide(id, Decision::kApprove, "許可");
  BOOST_REQUIRE(approved.ok());
  BOOST_TEST((approved.value().state == ApplicationState::kApproved));
  BOOST_TEST(env.Items("EXAMINATION_COMPLETE").size() == 1u);
  BOOST_TEST(env.Items("HANDOVER_POST").empty());  // waits for the old card and fee
  const auto done = env.service.CompleteHandover(id);
  BOOST_REQUIRE(done.ok());
  BOOST_TEST((done.value().state == ApplicationState::kCompleted));
  const auto posted = env.Items("HANDOVER_POST");
  BOOST_REQUIRE(posted.size() == 1u);
  BOOST_TEST(posted[0].subject == "在留カード");
  BOOST_TEST(posted[0].to == "東京都新宿区1-1");
  BOOST_TEST(env.Items("DISPATCH_NOTICE").size() == 1u);
}

// RAS-LIFE-004: at the counter nothing is posted.
BOOST_AUTO_TEST_CASE(ras_life_004_counter_pickup) {
  Env env;
  SubmitRequest r = env.Extension();
  r.delivery = CardDelivery::kCounter;
  const std::string id = env.SubmitOk(r);
  env.clock.Set(JstTime(D(2025, 8, 3)));
  BOOST_TEST(env.service.Decide(id, Decision::kApprove, "").ok());
  BOOST_TEST(env.service.CompleteHandover(id).ok());
  BOOST_TEST(env.Items("HANDOVER_POST").empty());
}

// RAS-LIFE-005: COE by e-mail (from 2023-03-17) or by post.
BOOST_AUTO_TEST_CASE(ras_life_005_coe_by_email_or_post) {
  for (CoeReceipt how : {CoeReceipt::kEmail, CoeReceipt::kPaper}) {
    Env env;
    SubmitRequest r = env.Extension();
    r.application.filer.category = UserCategory::kOrganizationStaff;
    r.application.applicant = {};
    r.application.applicant.birth_date = D(1995, 1, 1);
    r.application.requested_status = {"技術・人文知識・国際業務", ""};
    r.application.procedures = {Procedure::kCertificateOfEligibility};
    r.application.coe_receipt = how;
    const std::string id = env.SubmitOk(r);
    env.clock.Set(JstTime(D(2025, 8, 20)));
    const auto done = env.service.Decide(id, Decision::kApprove, "");
    BOOST_REQUIRE(done.ok());
    BOOST_TEST((done.value().state == ApplicationState::kCompleted));
    const bool by_mail = how == CoeReceipt::kEmail;
    BOOST_TEST(env.Items("COE_ELECTRONIC").size() == (by_mail ? 1u : 0u));
    BOOST_TEST(env.Items("COE_PAPER").size() == (by_mail ? 0u : 1u));
  }
}

// RAS-LIFE-006: 資格外活動許可書 by post only from 2024-01 (standalone filing allowed).
BOOST_AUTO_TEST_CASE(ras_life_006_other_activity_permit_by_post) {
  Env env;
  ApplicationService lenient(env.clock, env.store, {.other_activity_standalone = true});
  SubmitRequest r = env.Extension();
  r.application.procedures = {Procedure::kOtherActivityPermission};
  r.application.applicant.stay_expires_on = D(2024, 9, 30);
  env.clock.Set(JstTime(D(2023, 12, 31), 12));
  const auto early = lenient.Submit(r);
  BOOST_REQUIRE(!early.ok());
  BOOST_TEST(early.rejection().rule_id == "RAS-LIFE-006");
  BOOST_TEST(early.rejection().field_violations[0].field == "delivery");
  env.clock.Set(JstTime(D(2024, 1, 1), 12));
  const auto ok = lenient.Submit(r);
  BOOST_REQUIRE(ok.ok());
  env.clock.Set(JstTime(D(2024, 1, 5), 12));
  BOOST_TEST(lenient.Decide(ok.value().provisional_number, Decision::kApprove, "").ok());
  BOOST_TEST(lenient.CompleteHandover(ok.value().provisional_number).ok());
  const auto posted = env.Items("HANDOVER_POST");
  BOOST_REQUIRE(posted.size() == 1u);
  BOOST_TEST(posted[0].subject == "資格外活動許可書");
  BOOST_TEST(posted[0].rule_id == "RAS-LIFE-006");
}

// RAS-LIFE-007: proof of a pending application up to 2 months after expiry.
BOOST_AUTO_TEST_CASE(ras_life_007_proof_of_pending_application) {
  Env env;
  const std::string id = env.SubmitOk(env.Extension());
  BOOST_TEST(env.service.ProofOfPending(id, "user-1").rejection().reason ==
             "APPLICATION_STATE_INVALID");  // no receipt number yet
  env.clock.Set(JstTime(D(2025, 10, 15)));
  auto proof = env.service.ProofOfPending(id, "user-1");
  BOOST_REQUIRE(proof.ok());
  BOOST_TEST(proof.value().receipt_number == "東オンＥＮ25000001");
  BOOST_TEST(FormatDate(proof.value().special_period_ends_on) == "2025-11-30");
  BOOST_TEST(proof.value().in_special_period);
  env.clock.Set(JstTime(D(2025, 11, 30), 23));
  BOOST_TEST(env.service.ProofOfPending(id, "user-1").ok());
  env.clock.Set(JstTime(D(2025, 12, 1)));
  BOOST_TEST(env.service.ProofOfPending(id, "user-1").rejection().reason == "SPECIAL_PERIOD_ENDED");
}

BOOST_AUTO_TEST_CASE(ras_life_007_no_special_period_for_short_stays) {
  Env env;
  SubmitRequest r = env.Extension();
  r.application.filer.category = UserCategory::kOrganizationStaff;
  r.application.applicant.period_of_stay = {0, 0, 30, false};
  const std::string id = env.SubmitOk(r);
  env.clock.Set(JstTime(D(2025, 8, 5)));
  BOOST_TEST(env.service.ProofOfPending(id, "user-1").rejection().reason == "NO_SPECIAL_PERIOD");
}

BOOST_AUTO_TEST_CASE(store_reset_and_sequences) {
  Env env;
  env.SubmitOk(env.Extension());
  BOOST_TEST(env.SubmitOk(env.Extension()) == "P20250801-000002");
  env.store.Reset();
  BOOST_TEST(env.store.Outbox().empty());
  BOOST_TEST(env.SubmitOk(env.Extension()) == "P20250801-000001");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace zairyu::online
