// MemoryStore snapshot/restore (the control plane's snapshots by name).
#include <boost/test/unit_test.hpp>

#include "emulator/online/memory_store.h"

namespace zairyu::online {
namespace {

BOOST_AUTO_TEST_SUITE(memory_store)

BOOST_AUTO_TEST_CASE(restore_brings_back_records_and_counters) {
  MemoryStore store;
  StoreBatch batch;
  batch.accounts.push_back(Account{"u1", "a@example.jp", {}, "hash", {}});
  ApplicationRecord a;
  a.id = "P1";
  a.user_id = "u1";
  batch.applications.push_back(a);
  NotificationRecord n;
  n.id = "N1";
  n.user_id = "u1";
  batch.notifications.push_back(n);
  batch.outbox.push_back({Channel::kEmail, "K", "a@example.jp", "s", "b", "P1", {}, "R"});
  store.Apply(batch);
  BOOST_TEST(store.NextSequence("provisional") == 1U);
  const StoreSnapshot saved = store.Snapshot();

  StoreBatch more;
  a.id = "P2";
  more.applications.push_back(a);
  store.Apply(more);
  BOOST_TEST(store.NextSequence("provisional") == 2U);
  store.Reset();
  BOOST_TEST(!store.GetAccount("u1").has_value());

  store.Restore(saved);
  BOOST_TEST(store.GetAccount("u1").has_value());
  BOOST_TEST(store.ListApplications("u1").size() == 1U);
  BOOST_TEST(!store.GetApplication("P2").has_value());
  BOOST_TEST(store.ListNotifications("u1").size() == 1U);
  BOOST_TEST(store.Outbox().size() == 1U);
  BOOST_TEST(store.NextSequence("provisional") == 2U);  // continues from the snapshot
}

// RAS-LIFE-002's query: pending applications by due time, then submission
// order; an issued number takes one out.
BOOST_AUTO_TEST_CASE(due_for_receipt_number_by_due_time) {
  MemoryStore store;
  const auto at = [](int s) { return Instant{std::chrono::seconds{s}}; };
  StoreBatch batch;
  for (const auto& [id, due] : {std::pair{"P1", 30}, {"P2", 10}, {"P3", 10}, {"P4", 50}}) {
    ApplicationRecord a;
    a.id = id;
    a.receipt_due_at = at(due);
    batch.applications.push_back(a);
  }
  store.Apply(batch);
  const auto ids = [&](int by) {
    std::vector<std::string> out;
    for (const auto& a : store.DueForReceiptNumber(at(by))) out.push_back(a.id);
    return out;
  };
  BOOST_TEST((ids(30) == std::vector<std::string>{"P2", "P3", "P1"}));
  ApplicationRecord issued = *store.GetApplication("P2");
  issued.receipt_number = "R1";
  store.Apply(StoreBatch{{}, {issued}, {}, {}, {}});
  BOOST_TEST((ids(100) == std::vector<std::string>{"P3", "P1", "P4"}));
  BOOST_TEST(ids(5).empty());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace zairyu::online
