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

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace zairyu::online
