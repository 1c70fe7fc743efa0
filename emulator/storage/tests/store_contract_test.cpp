// The behaviour the rules core relies on, run over every Store: MemoryStore,
// SqliteStore in memory and SqliteStore on a file. The flows are those of
// emulator/online's service tests (RAS-LIFE-001..005, RAS-USER-008..011).
#include <algorithm>
#include <memory>
#include <thread>
#include <vector>

#include <boost/mpl/list.hpp>
#include <boost/test/unit_test.hpp>

#include "emulator/online/account_service.h"
#include "emulator/online/application_service.h"
#include "emulator/online/memory_store.h"
#include "emulator/storage/sqlite_store.h"
#include "emulator/storage/tests/test_support.h"

namespace zairyu::storage {
namespace {

using namespace online;
using test::D;

struct MemoryKind {
  static std::unique_ptr<Store> Make(const test::TempDir&) {
    return std::make_unique<MemoryStore>();
  }
};
struct SqliteMemoryKind {
  static std::unique_ptr<Store> Make(const test::TempDir&) { return SqliteStore::Open(":memory:"); }
};
struct SqliteFileKind {
  static std::unique_ptr<Store> Make(const test::TempDir& dir) {
    return SqliteStore::Open(dir.File("state.db"));
  }
};
using StoreKinds = boost::mpl::list<MemoryKind, SqliteMemoryKind, SqliteFileKind>;

// The online core over a store of kind K, at 15:00 JST on 2025-08-01.
template <typename K>
struct Env {
  test::TempDir dir;
  std::unique_ptr<Store> store = K::Make(dir);
  VirtualClock clock{JstTime(D(2025, 8, 1), 15)};
  ApplicationService service{clock, *store};
  AccountService accounts{clock, *store};

  std::string SubmitOk(const SubmitRequest& r) {
    auto result = service.Submit(r);
    BOOST_REQUIRE_MESSAGE(result.ok(), (result.ok() ? "" : result.rejection().reason));
    return result.value().provisional_number;
  }
  std::vector<OutboxItem> Items(std::string_view kind) const {
    std::vector<OutboxItem> out = store->Outbox();
    std::erase_if(out, [&](const OutboxItem& i) { return i.kind != kind; });
    return out;
  }
  std::vector<std::string> EventKinds() const {
    std::vector<std::string> out;
    for (const AuditEvent& e : store->Events()) out.push_back(e.kind);
    return out;
  }
};

std::string ReasonOf(const Result<Account>& r) { return r.ok() ? "passed" : r.rejection().reason; }

BOOST_AUTO_TEST_SUITE(store_contract)

// RAS-LIFE-001..004 end to end: provisional number, formal number at 02:10 the
// next day, material request, approval, card by post.
BOOST_AUTO_TEST_CASE_TEMPLATE(application_lifecycle, K, StoreKinds) {
  Env<K> env;
  const std::string id = env.SubmitOk(test::Extension());
  BOOST_TEST(id == "P20250801-000001");
  BOOST_TEST(env.SubmitOk(test::Extension("user-2")) == "P20250801-000002");
  BOOST_TEST(env.Items("ACCEPTANCE_NOTICE").size() == 2u);
  BOOST_TEST(env.store->DueForReceiptNumber(online::Instant::max()).size() == 2u);

  env.clock.Set(JstTime(D(2025, 8, 2), 2, 9, 59));
  BOOST_TEST(env.service.ProcessDue() == 0);
  env.clock.Advance(std::chrono::seconds{1});
  const auto received = env.service.Get(id, "user-1");
  BOOST_REQUIRE(received.ok());
  BOOST_TEST(*received.value().receipt_number == "東オンＥＮ25000001");
  BOOST_TEST((received.value().state == ApplicationState::kReceived));
  const auto notices = env.Items("RECEIPT_NUMBER_NOTICE");
  BOOST_REQUIRE(notices.size() == 4u);  // to the user and to the student, for each
  BOOST_TEST(notices[0].to == "user-1@example.jp");
  BOOST_TEST(notices[1].to == "student@example.jp");
  BOOST_TEST((notices[0].at == JstTime(D(2025, 8, 2), 2, 10)));
  BOOST_TEST(env.store->DueForReceiptNumber(online::Instant::max()).empty());
  BOOST_TEST(env.service.ProcessDue() == 0);

  env.clock.Set(JstTime(D(2025, 8, 3), 9));
  BOOST_TEST(env.service.Decide(id, Decision::kRequestMaterial, "追加資料").ok());
  const std::vector<std::uint8_t> pdf = {'%', 'P', 'D', 'F', '-'};
  BOOST_TEST(env.service.SubmitMaterial(id, "user-1", {0, {{"more.pdf", pdf}}}).ok());
  BOOST_TEST(env.service.Decide(id, Decision::kApprove, "許可").ok());
  const auto done = env.service.CompleteHandover(id);
  BOOST_REQUIRE(done.ok());
  BOOST_TEST((done.value().state == ApplicationState::kCompleted));
  BOOST_TEST(done.value().attachments.size() == 1u);
  BOOST_TEST(done.value().decided_at.has_value());
  const auto posted = env.Items("HANDOVER_POST");
  BOOST_REQUIRE(posted.size() == 1u);
  BOOST_TEST((posted[0].channel == Channel::kPost));
  BOOST_TEST(posted[0].subject == "在留カード");
  BOOST_TEST(posted[0].to == "東京都新宿区1-1");
  BOOST_TEST((env.EventKinds() ==
              std::vector<std::string>{"APPLICATION_SUBMITTED", "APPLICATION_SUBMITTED",
                                       "RECEIPT_NUMBER_ISSUED", "RECEIPT_NUMBER_ISSUED", "DECISION",
                                       "MATERIAL_SUBMITTED", "DECISION", "HANDED_OVER"}));
  // The store kept submission order through every update.
  const auto mine = env.service.List("user-1");
  BOOST_REQUIRE(mine.size() == 1u);
  BOOST_TEST(mine[0].id == id);
  BOOST_TEST(!env.service.Get(id, "user-2").ok());  // another user's: not found
}

// A submission with an idempotency key (emulator behaviour for safe client
// retries, online.proto SubmitApplication): the same key and digest answer the
// first filing, another digest is IDEMPOTENCY_KEY_REUSED, keys are per user,
// and the key survives a snapshot restore.
BOOST_AUTO_TEST_CASE_TEMPLATE(idempotent_submissions, K, StoreKinds) {
  Env<K> env;
  SubmitRequest first = test::Extension();
  first.idempotency = IdempotencyKey{"key-1", "digest-a"};
  const std::string id = env.SubmitOk(first);

  const auto again = env.service.Submit(first);
  BOOST_REQUIRE(again.ok());
  BOOST_TEST(again.value().replayed);
  BOOST_TEST(again.value().provisional_number == id);

  SubmitRequest changed = first;
  changed.idempotency->request_digest = "digest-b";
  const auto reused = env.service.Submit(changed);
  BOOST_REQUIRE(!reused.ok());
  BOOST_TEST(reused.rejection().reason == "IDEMPOTENCY_KEY_REUSED");
  BOOST_TEST(reused.rejection().field_violations.at(0).field == "idempotency_key");

  SubmitRequest other_user = test::Extension("user-2");
  other_user.idempotency = first.idempotency;
  BOOST_TEST(env.SubmitOk(other_user) != id);
  BOOST_TEST(env.SubmitOk(test::Extension()) != env.SubmitOk(test::Extension()));

  const StoreSnapshot saved = env.store->Snapshot();
  env.store->Reset();
  BOOST_TEST(!env.store->FindByIdempotencyKey("user-1", "key-1").has_value());
  env.store->Restore(saved);
  const auto found = env.store->FindByIdempotencyKey("user-1", "key-1");
  BOOST_REQUIRE(found.has_value());
  BOOST_TEST(found->id == id);
  BOOST_TEST((found->idempotency == IdempotencyKey{"key-1", "digest-a"}));
  BOOST_TEST(env.service.Submit(first).value().replayed);
  BOOST_TEST(env.store->ListApplications("user-1").size() == 3u);
}

// Concurrent retries of one submission file it once: every call gets the same
// provisional number and exactly one is not a replay.
BOOST_AUTO_TEST_CASE_TEMPLATE(concurrent_retries_file_once, K, StoreKinds) {
  Env<K> env;
  SubmitRequest request = test::Extension();
  request.idempotency = IdempotencyKey{"retry", "digest"};
  constexpr int kCallers = 8;
  std::vector<Result<SubmitResult>> results(kCallers, Rejection{});
  {
    std::vector<std::jthread> callers;
    for (int i = 0; i < kCallers; ++i) {
      callers.emplace_back([&, i] { results[i] = env.service.Submit(request); });
    }
  }
  int filed = 0;
  for (const auto& r : results) {
    BOOST_REQUIRE(r.ok());
    BOOST_TEST(r.value().provisional_number == results[0].value().provisional_number);
    if (!r.value().replayed) ++filed;
  }
  BOOST_TEST(filed == 1);
  BOOST_TEST(env.store->ListApplications("user-1").size() == 1u);
  BOOST_TEST(env.Items("ACCEPTANCE_NOTICE").size() == 1u);
}

// RAS-LIFE-005: COE by e-mail or by post; the request round-trips the store.
BOOST_AUTO_TEST_CASE_TEMPLATE(coe_by_email_or_post, K, StoreKinds) {
  for (CoeReceipt how : {CoeReceipt::kEmail, CoeReceipt::kPaper}) {
    Env<K> env;
    const std::string id = env.SubmitOk(test::Coe(how));
    env.clock.Set(JstTime(D(2025, 8, 20)));
    const auto done = env.service.Decide(id, Decision::kApprove, "");
    BOOST_REQUIRE(done.ok());
    BOOST_TEST((done.value().state == ApplicationState::kCompleted));
    BOOST_TEST((done.value().request.coe_receipt == how));
    const bool by_mail = how == CoeReceipt::kEmail;
    BOOST_TEST(env.Items("COE_ELECTRONIC").size() == (by_mail ? 1u : 0u));
    BOOST_TEST(env.Items("COE_PAPER").size() == (by_mail ? 0u : 1u));
  }
}

// RAS-USER-008..011 over the store: register, login, expiry, change, reminders.
BOOST_AUTO_TEST_CASE_TEMPLATE(account_lifecycle, K, StoreKinds) {
  Env<K> env;
  env.clock.Set(JstTime(D(2025, 4, 1), 10));
  BOOST_TEST(ReasonOf(env.accounts.Register(test::Person())) == "passed");
  BOOST_TEST(ReasonOf(env.accounts.Register(test::Person())) == "ACCOUNT_ALREADY_EXISTS");
  BOOST_TEST(ReasonOf(env.accounts.Login("user-1", "pass-1")) == "passed");
  BOOST_TEST(ReasonOf(env.accounts.Login("user-1", "pass-2")) == "LOGIN_FAILED");

  RegisterRequest org{"org-1", "hr@example.co.jp", "pw", {}};
  org.credentials.category = UserCategory::kOrganizationStaff;
  org.credentials.approval = OrganizationApproval{D(2025, 4, 1), {}};
  BOOST_TEST(ReasonOf(env.accounts.Register(org)) == "passed");

  env.clock.Set(JstTime(D(2026, 3, 2)));
  BOOST_TEST(env.accounts.ProcessDue() == 3);  // 2 password reminders + 1 approval
  BOOST_TEST(env.accounts.ProcessDue() == 0);  // the flags were stored
  env.clock.Set(JstTime(D(2026, 4, 1)));
  BOOST_TEST(ReasonOf(env.accounts.Login("user-1", "pass-1")) == "PASSWORD_EXPIRED");
  BOOST_TEST(!env.accounts.ChangePassword("user-1", "pass-1", "pass-2").has_value());
  BOOST_TEST(ReasonOf(env.accounts.Login("user-1", "pass-2")) == "passed");
  BOOST_TEST(!env.accounts.ChangePassword("org-1", "pw", "pw2").has_value());
  BOOST_TEST(ReasonOf(env.accounts.Login("org-1", "pw2")) == "ORGANIZATION_APPROVAL_EXPIRED");
  BOOST_TEST(!env.accounts.SetApproval("org-1", {D(2025, 4, 1), {D(2026, 3, 1)}}).has_value());
  BOOST_TEST(ReasonOf(env.accounts.Login("org-1", "pw2")) == "passed");

  const auto all = env.store->ListAccounts();
  BOOST_REQUIRE(all.size() == 2u);
  BOOST_TEST(all[0].user_id == "org-1");  // by user id
  BOOST_TEST(all[1].credentials.has_residence_card);
  BOOST_TEST(!all[1].password_reminded_30);  // reset by the change
  BOOST_TEST(all[0].credentials.approval->reports_approved_on.size() == 1u);
}

// Store primitives: upsert keeps the first position, lists by user, counters.
BOOST_AUTO_TEST_CASE_TEMPLATE(store_primitives, K, StoreKinds) {
  Env<K> env;
  Store& s = *env.store;
  s.Apply({});  // empty: nothing happens
  s.Apply(test::SubmissionBatch("A", "u1", "first"));
  s.Apply(test::SubmissionBatch("B", "u2"));
  s.Apply(test::SubmissionBatch("C", "u1"));
  StoreBatch update = test::SubmissionBatch("A", "u1", "updated");
  update.applications[0].receipt_number = "R-1";
  s.Apply(update);

  const auto u1 = s.ListApplications("u1");
  BOOST_REQUIRE(u1.size() == 2u);
  BOOST_TEST(u1[0].id == "A");
  BOOST_TEST(u1[0].postal_address == "updated");
  BOOST_TEST(u1[1].id == "C");
  BOOST_TEST(s.ListApplications("nobody").empty());
  const auto awaiting = s.DueForReceiptNumber(online::Instant::max());
  BOOST_REQUIRE(awaiting.size() == 2u);
  BOOST_TEST(awaiting[0].id == "B");
  BOOST_TEST(*s.GetApplication("A")->receipt_number == "R-1");
  BOOST_TEST(!s.GetApplication("Z").has_value());
  BOOST_TEST(!s.GetAccount("u1").has_value());
  BOOST_TEST(s.Outbox().size() == 4u);
  BOOST_TEST(s.Events().back().detail == "updated");

  BOOST_TEST(s.NextSequence("a") == 1u);
  BOOST_TEST(s.NextSequence("a") == 2u);
  BOOST_TEST(s.NextSequence("b") == 1u);
  s.Reset();
  BOOST_TEST(s.Outbox().empty());
  BOOST_TEST(s.Events().empty());
  BOOST_TEST(!s.GetApplication("A").has_value());
  BOOST_TEST(s.NextSequence("a") == 1u);
  // After a reset the core numbers from 1 again.
  BOOST_TEST(env.SubmitOk(test::Extension()) == "P20250801-000001");
}

BOOST_AUTO_TEST_SUITE_END()

// One scenario with every kind of write, run on a MemoryStore and on a file
// SqliteStore: every stored record, mail and event must be identical.
void Scenario(Store& store) {
  VirtualClock clock{JstTime(D(2025, 8, 1), 15)};
  ApplicationService service{clock, store};
  AccountService accounts{clock, store};
  BOOST_REQUIRE(accounts.Register(test::Person()).ok());
  const std::string a = service.Submit(test::Extension()).value().provisional_number;
  SubmitRequest counter = test::Extension();
  counter.delivery = CardDelivery::kCounter;
  const std::string b = service.Submit(counter).value().provisional_number;
  const std::string c = service.Submit(test::Coe(CoeReceipt::kEmail)).value().provisional_number;
  clock.Set(JstTime(D(2025, 8, 4), 10));
  BOOST_REQUIRE(service.Decide(a, Decision::kApprove, "許可").ok());
  BOOST_REQUIRE(service.CompleteHandover(a).ok());
  BOOST_REQUIRE(service.Decide(b, Decision::kRefuse, "不許可").ok());
  BOOST_REQUIRE(service.Decide(c, Decision::kApprove, "").ok());
  clock.Set(JstTime(D(2026, 7, 5)));  // 30-day password reminder
  BOOST_REQUIRE(accounts.ProcessDue() == 1);
}

// E-notifications are stored and listed per user in filing order, and a
// snapshot restores every table and counter (the control plane's snapshots).
BOOST_AUTO_TEST_CASE_TEMPLATE(notifications_and_snapshots, K, StoreKinds) {
  Env<K> env;
  const std::string first = env.SubmitOk(test::Extension());
  NotificationRecord n;
  n.id = "N1";
  n.user_id = "u-1";
  n.request.event_date = D(2025, 7, 30);
  StoreBatch batch;
  batch.notifications.push_back(n);
  n.id = "N2";
  batch.notifications.push_back(n);
  env.store->Apply(batch);
  BOOST_TEST(env.store->ListNotifications("u-1").size() == 2u);
  BOOST_TEST(env.store->ListNotifications("u-1")[1].id == "N2");
  BOOST_TEST(env.store->ListNotifications("nobody").empty());

  const StoreSnapshot saved = env.store->Snapshot();
  BOOST_TEST(saved.content.applications.size() == 1u);
  BOOST_TEST(saved.content.notifications.size() == 2u);
  BOOST_TEST(saved.sequences.at("provisional") == 1u);
  const std::string second = env.SubmitOk(test::Extension());
  env.store->Reset();
  env.store->Restore(saved);
  BOOST_TEST(env.store->GetApplication(first).has_value());
  BOOST_TEST(!env.store->GetApplication(second).has_value());
  BOOST_TEST(env.store->ListNotifications("u-1").size() == 2u);
  BOOST_TEST(env.store->Outbox().size() == saved.content.outbox.size());
  BOOST_TEST(env.store->Events().size() == saved.content.events.size());
  BOOST_TEST(env.store->NextSequence("provisional") == 2u);
}

BOOST_AUTO_TEST_CASE(sqlite_store_matches_memory_store) {
  MemoryStore memory;
  Scenario(memory);
  test::TempDir dir;
  auto sqlite = SqliteStore::Open(dir.File("state.db"));
  Scenario(*sqlite);
  const std::vector<std::string> users = {"user-1", "org-1"};
  const auto expected = test::Dump(memory, users);
  BOOST_TEST(expected.size() == 31u);  // 1 account, 3 applications, 15 mails, 12 events
  BOOST_TEST(test::Dump(*sqlite, users) == expected, boost::test_tools::per_element());
  // And the same after closing and opening the file again.
  sqlite.reset();
  sqlite = SqliteStore::Open(dir.File("state.db"));
  BOOST_TEST(test::Dump(*sqlite, users) == expected, boost::test_tools::per_element());
}

}  // namespace
}  // namespace zairyu::storage
