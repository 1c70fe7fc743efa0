// What only the SQLite store has: atomic batches, group commit, persistence
// across reopen, and clear errors for files it cannot use.
#include <atomic>
#include <fstream>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <boost/test/unit_test.hpp>

#include "emulator/online/application_service.h"
#include "emulator/storage/schema.h"
#include "emulator/storage/sqlite_db.h"
#include "emulator/storage/sqlite_store.h"
#include "emulator/storage/tests/test_support.h"

namespace zairyu::storage {
namespace {

using namespace online;
using test::D;

// A batch that the schema refuses (an application without id) after rows
// that it accepts, so a partial apply would show.
StoreBatch BadBatch() {
  StoreBatch b = test::SubmissionBatch("ok-part", "u1");
  b.accounts.push_back({"acct", "a@example.jp", {}, "h", D(2025, 1, 1)});
  ApplicationRecord no_id = b.applications[0];
  no_id.id.clear();
  b.applications.push_back(no_id);
  return b;
}

// Holds SQLite's write lock from a separate connection, so the store's writer
// blocks in BEGIN (busy timeout) while callers pile up in its queue.
class WriteLockHolder {
 public:
  explicit WriteLockHolder(const std::string& path) : c_(path) { c_.Exec("BEGIN IMMEDIATE"); }
  void Release() { c_.Exec("COMMIT"); }

 private:
  Connection c_;
};

// Waits (without a time limit of its own) until `n` batches reached the
// writer: queued, or in the group it is committing.
void WaitForBatches(const SqliteStore& store, std::uint64_t n) {
  for (WriterStats s = store.Stats(); s.queued + s.writing < n; s = store.Stats()) {
    std::this_thread::yield();
  }
}

std::string OpenError(const std::string& path) {
  try {
    SqliteStore::Open(path);
  } catch (const StoreError& e) {
    return e.what();
  }
  return "opened";
}

BOOST_AUTO_TEST_SUITE(sqlite_store)

BOOST_AUTO_TEST_CASE(failing_batch_leaves_nothing) {
  test::TempDir dir;
  auto store = SqliteStore::Open(dir.File("s.db"));
  BOOST_CHECK_THROW(store->Apply(BadBatch()), StoreError);
  BOOST_TEST(!store->GetApplication("ok-part").has_value());
  BOOST_TEST(!store->GetAccount("acct").has_value());
  BOOST_TEST(store->Outbox().empty());
  BOOST_TEST(store->Events().empty());
  store->Apply(test::SubmissionBatch("next", "u1"));  // the store goes on
  BOOST_TEST(store->GetApplication("next").has_value());
  store.reset();
  store = SqliteStore::Open(dir.File("s.db"));
  BOOST_TEST(!store->GetApplication("ok-part").has_value());
  BOOST_TEST(store->Outbox().size() == 1u);
}

// A failing batch committed in the same group as good ones fails alone.
BOOST_AUTO_TEST_CASE(failing_batch_does_not_spoil_its_group) {
  test::TempDir dir;
  auto store = SqliteStore::Open(dir.File("s.db"));
  WriteLockHolder lock(dir.File("s.db"));
  std::thread first([&] { store->Apply(test::SubmissionBatch("first", "u1")); });
  WaitForBatches(*store, 1);
  std::atomic<bool> bad_failed = false;
  std::thread good([&] { store->Apply(test::SubmissionBatch("good", "u1")); });
  std::thread bad([&] {
    try {
      store->Apply(BadBatch());
    } catch (const StoreError&) {
      bad_failed = true;
    }
  });
  WaitForBatches(*store, 3);
  lock.Release();
  first.join();
  good.join();
  bad.join();
  BOOST_TEST(bad_failed);
  BOOST_TEST(store->GetApplication("first").has_value());
  BOOST_TEST(store->GetApplication("good").has_value());
  BOOST_TEST(!store->GetApplication("ok-part").has_value());
  BOOST_TEST(store->Outbox().size() == 2u);
  BOOST_TEST(store->Stats().batches == 2u);
}

// Callers queued behind one commit share the next transaction (one fsync).
BOOST_AUTO_TEST_CASE(group_commit_shares_one_transaction) {
  test::TempDir dir;
  auto store = SqliteStore::Open(dir.File("s.db"));
  constexpr int kCallers = 16;
  WriteLockHolder lock(dir.File("s.db"));
  std::vector<std::thread> callers;
  std::atomic<int> seen = 0;  // Boost.Test assertions are for the main thread only
  for (int i = 0; i < kCallers; ++i) {
    callers.emplace_back([&, i] {
      const std::string id = fmt::format("id-{}", store->NextSequence("ids"));
      store->Apply(test::SubmissionBatch(id, fmt::format("u{}", i)));
      // Read-your-writes: visible as soon as Apply returns.
      if (store->GetApplication(id)) ++seen;
    });
  }
  WaitForBatches(*store, kCallers);
  lock.Release();
  for (auto& t : callers) t.join();
  BOOST_TEST(seen == kCallers);
  const WriterStats stats = store->Stats();
  BOOST_TEST(stats.batches == std::uint64_t{kCallers});
  BOOST_TEST(stats.transactions <= 2u);  // what the writer held, then all the rest
  BOOST_TEST(store->Outbox().size() == std::size_t{kCallers});
}

// Many threads, no help: everything lands, ids stay unique.
BOOST_AUTO_TEST_CASE(concurrent_writers) {
  test::TempDir dir;
  auto store = SqliteStore::Open(dir.File("s.db"));
  constexpr int kThreads = 8, kEach = 100;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const auto id = fmt::format("id-{}", store->NextSequence("ids"));
        store->Apply(test::SubmissionBatch(id, fmt::format("u{}", t)));
      }
    });
  }
  // Readers run beside the writers on pooled connections.
  std::atomic<bool> shrank = false;
  std::thread reader([&] {
    std::size_t last = 0;
    while (last < std::size_t{kThreads * kEach}) {
      const std::size_t now = store->Events().size();
      if (now < last) shrank = true;  // commits only ever add
      last = now;
      std::this_thread::yield();
    }
  });
  for (auto& t : threads) t.join();
  reader.join();
  BOOST_TEST(!shrank);
  std::set<std::string> ids;
  for (int t = 0; t < kThreads; ++t) {
    for (const auto& a : store->ListApplications(fmt::format("u{}", t))) ids.insert(a.id);
  }
  BOOST_TEST(ids.size() == std::size_t{kThreads * kEach});
  const WriterStats stats = store->Stats();
  BOOST_TEST(stats.batches == std::uint64_t{kThreads * kEach});
  BOOST_TEST_MESSAGE(
      fmt::format("{} batches in {} transactions", stats.batches, stats.transactions));
}

BOOST_AUTO_TEST_CASE(reopen_keeps_everything_and_the_counters) {
  test::TempDir dir;
  const std::string path = dir.File("s.db");
  std::vector<std::string> before;
  {
    auto store = SqliteStore::Open(path);
    VirtualClock clock{JstTime(D(2025, 8, 1), 15)};
    ApplicationService service{clock, *store};
    BOOST_TEST(service.Submit(test::Extension()).value().provisional_number == "P20250801-000001");
    BOOST_TEST(store->NextSequence("unused") == 1u);  // no batch follows it
    before = test::Dump(*store, {"user-1"});
  }
  auto store = SqliteStore::Open(path);
  BOOST_TEST(test::Dump(*store, {"user-1"}) == before, boost::test_tools::per_element());
  VirtualClock clock{JstTime(D(2025, 8, 1), 16)};
  ApplicationService service{clock, *store};
  BOOST_TEST(service.Submit(test::Extension()).value().provisional_number == "P20250801-000002");
  BOOST_TEST(store->NextSequence("unused") == 2u);  // flushed on close
  store->Reset();
  store.reset();
  store = SqliteStore::Open(path);
  BOOST_TEST(store->Outbox().empty());
  BOOST_TEST(store->NextSequence("provisional") == 1u);
}

BOOST_AUTO_TEST_CASE(due_for_receipt_number_uses_the_due_time) {
  auto store = SqliteStore::Open(":memory:");
  StoreBatch early = test::SubmissionBatch("early", "u1");
  StoreBatch late = test::SubmissionBatch("late", "u1");
  late.applications[0].receipt_due_at += std::chrono::hours{24};
  store->Apply(late);
  store->Apply(early);
  const Instant due = early.applications[0].receipt_due_at;
  BOOST_TEST(store->DueForReceiptNumber(due - std::chrono::seconds{1}).empty());
  const auto now_due = store->DueForReceiptNumber(due);
  BOOST_REQUIRE(now_due.size() == 1u);
  BOOST_TEST(now_due[0].id == "early");
  const auto both = store->DueForReceiptNumber(due + std::chrono::hours{24});
  BOOST_REQUIRE(both.size() == 2u);
  BOOST_TEST(both[0].id == "early");  // by due time, not by submission
}

BOOST_AUTO_TEST_CASE(in_memory_stores_are_private) {
  auto a = SqliteStore::Open(":memory:");
  auto b = SqliteStore::Open(":memory:");
  a->Apply(test::SubmissionBatch("x", "u1"));
  BOOST_TEST(a->GetApplication("x").has_value());
  BOOST_TEST(!b->GetApplication("x").has_value());
}

BOOST_AUTO_TEST_CASE(file_is_in_wal_mode) {
  test::TempDir dir;
  auto store = SqliteStore::Open(dir.File("s.db"));
  store->Apply(test::SubmissionBatch("x", "u1"));
  Connection c(dir.File("s.db"));
  BOOST_TEST(c.QueryText("PRAGMA journal_mode") == "wal");
  BOOST_TEST(c.QueryText("SELECT version FROM schema_version") == std::to_string(kSchemaVersion));
}

// Turns the current file back into one of schema version 2 (before the
// idempotency key column).
void DowngradeToVersion2(Connection& c) {
  c.Exec(
      "DROP INDEX applications_by_idempotency_key; "
      "ALTER TABLE applications DROP COLUMN idempotency_key; "
      "UPDATE schema_version SET version = 2");
}

// A version-1 file (before the notifications table) is migrated at open and
// keeps its data.
BOOST_AUTO_TEST_CASE(version_1_file_is_migrated) {
  test::TempDir dir;
  SqliteStore::Open(dir.File("s.db"))->Apply(test::SubmissionBatch("x", "u1"));
  {
    Connection c(dir.File("s.db"));
    DowngradeToVersion2(c);
    c.Exec("DROP TABLE notifications; UPDATE schema_version SET version = 1");
  }
  auto store = SqliteStore::Open(dir.File("s.db"));
  BOOST_TEST(store->GetApplication("x").has_value());
  online::StoreBatch batch;
  online::NotificationRecord n;
  n.id = "N1";
  n.user_id = "u1";
  batch.notifications.push_back(n);
  store->Apply(batch);
  BOOST_TEST(store->ListNotifications("u1").size() == 1u);
}

// A version-2 file's applications (records without an idempotency key) are
// read after the migration, and new filings with a key are found by it.
BOOST_AUTO_TEST_CASE(version_2_file_is_migrated) {
  test::TempDir dir;
  SqliteStore::Open(dir.File("s.db"))->Apply(test::SubmissionBatch("x", "u1"));
  {
    Connection c(dir.File("s.db"));
    DowngradeToVersion2(c);
  }
  auto store = SqliteStore::Open(dir.File("s.db"));
  const auto old = store->GetApplication("x");
  BOOST_REQUIRE(old.has_value());
  BOOST_TEST(!old->idempotency.has_value());
  online::StoreBatch batch = test::SubmissionBatch("y", "u1");
  batch.applications[0].idempotency = online::IdempotencyKey{"k", "d"};
  store->Apply(batch);
  BOOST_TEST(store->FindByIdempotencyKey("u1", "k")->id == "y");
}

// The key is durable: after a reopen, a retried submission is answered from
// the file, and a second record with the same user and key is refused.
BOOST_AUTO_TEST_CASE(idempotency_key_survives_reopen) {
  test::TempDir dir;
  online::StoreBatch batch = test::SubmissionBatch("x", "u1");
  batch.applications[0].idempotency = online::IdempotencyKey{"k", "d"};
  SqliteStore::Open(dir.File("s.db"))->Apply(batch);
  auto store = SqliteStore::Open(dir.File("s.db"));
  const auto found = store->FindByIdempotencyKey("u1", "k");
  BOOST_REQUIRE(found.has_value());
  BOOST_TEST(found->id == "x");
  BOOST_TEST(found->idempotency->request_digest == "d");
  BOOST_TEST(!store->FindByIdempotencyKey("u2", "k").has_value());
  online::StoreBatch twin = test::SubmissionBatch("z", "u1");
  twin.applications[0].idempotency = online::IdempotencyKey{"k", "other"};
  BOOST_CHECK_THROW(store->Apply(twin), StoreError);
  BOOST_TEST(!store->GetApplication("z").has_value());
}

BOOST_AUTO_TEST_CASE(unusable_files_are_refused_by_name) {
  test::TempDir dir;
  // Not a database at all.
  const std::string garbage = dir.File("garbage.db");
  std::ofstream(garbage) << std::string(8192, 'x');
  BOOST_TEST(OpenError(garbage).find(garbage) != std::string::npos);
  BOOST_TEST(OpenError(garbage).find("not a database") != std::string::npos);
  // Another program's database.
  const std::string foreign = dir.File("foreign.db");
  Connection(foreign).Exec("CREATE TABLE t (x)");
  BOOST_TEST(OpenError(foreign).find("not a zairyu state database") != std::string::npos);
  // Written by a newer build.
  const std::string newer = dir.File("newer.db");
  SqliteStore::Open(newer);
  Connection(newer).Exec("UPDATE schema_version SET version = 99");
  BOOST_TEST(OpenError(newer).find("schema version 99 is newer") != std::string::npos);
  // Already open.
  const std::string busy = dir.File("busy.db");
  auto holder = SqliteStore::Open(busy);
  BOOST_TEST(OpenError(busy).find("already open") != std::string::npos);
  // A directory.
  BOOST_TEST(OpenError(dir.File("")).find(dir.File("")) != std::string::npos);
}

// Pages of a closed database overwritten with junk: quick_check at open.
BOOST_AUTO_TEST_CASE(damaged_file_is_refused_by_name) {
  test::TempDir dir;
  const std::string path = dir.File("damaged.db");
  {
    auto store = SqliteStore::Open(path);
    for (int i = 0; i < 200; ++i) store->Apply(test::SubmissionBatch(fmt::format("{}", i), "u"));
  }  // closed: the WAL is checkpointed into the file
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(4096);  // page 2 onwards (4 KiB pages)
  const std::string junk(4096 * 8, '\x5a');
  f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  f.close();
  const std::string error = OpenError(path);
  BOOST_TEST_MESSAGE(error);
  BOOST_TEST(error.find(path) != std::string::npos);
  BOOST_TEST(error != "opened");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace zairyu::storage
