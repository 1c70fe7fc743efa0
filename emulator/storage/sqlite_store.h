// online::Store on SQLite: the emulator's durable state (`--state FILE`).
//
// Durability: WAL journal with synchronous=FULL. A commit appends its pages
// to FILE-wal and fsyncs that file before COMMIT returns, so once Apply()
// returns the batch survives kill -9 of the process and a power loss of the
// machine (as far as the disk honours fsync). A checkpoint copies the WAL
// into FILE and fsyncs FILE before the WAL is reused. (synchronous=NORMAL
// would survive kill -9 too, since written pages sit in the OS cache, but a
// power loss could drop the last commits; FULL closes that gap.)
//
// Throughput: Apply() calls from many threads are group-committed. Callers
// enqueue their batch and sleep; one writer thread takes every queued batch,
// applies each inside its own SAVEPOINT of one transaction, commits (one
// fsync for the whole group) and wakes the callers. Each Apply() returns only
// after the transaction holding its batch is durable. See README.md.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "emulator/online/store.h"
#include "emulator/storage/sqlite_db.h"

namespace zairyu::storage {

// Counters of the writer thread, for tests and the benchmark.
struct WriterStats {
  std::uint64_t transactions = 0;  // group commits that succeeded
  std::uint64_t batches = 0;       // batches they carried (plus resets)
  std::uint64_t queued = 0;        // batches waiting for the writer now
  std::uint64_t writing = 0;       // batches in the group being committed now
};

// The Store on one SQLite file (or :memory:): a writer thread with a commit
// queue, a pool of reader connections, counters in memory. Thread-safe.
class SqliteStore final : public online::Store {
 public:
  // Opens or creates the state database at `path` (":memory:" for a private
  // in-memory one, not durable). Throws StoreError naming `path` when the
  // file is not an SQLite database, is damaged (quick_check), belongs to
  // another program, was written by a newer build, or is open in another
  // SqliteStore (this or another process).
  static std::unique_ptr<SqliteStore> Open(const std::string& path);
  ~SqliteStore() override;

  // Atomic and durable on return; throws StoreError (nothing of the batch is
  // stored) on a constraint violation (an empty user_id or id) or I/O error.
  void Apply(const online::StoreBatch& batch) override;
  std::optional<online::ApplicationRecord> GetApplication(std::string_view id) const override;
  std::vector<online::ApplicationRecord> ListApplications(std::string_view user_id) const override;
  // From a unique (user_id, idempotency_key) index.
  std::optional<online::ApplicationRecord> FindByIdempotencyKey(
      std::string_view user_id, std::string_view key) const override;
  // From the (receipt_due_at, seq) index of pending applications.
  std::vector<online::ApplicationRecord> DueForReceiptNumber(online::Instant due_by) const override;
  std::optional<online::Account> GetAccount(std::string_view user_id) const override;
  std::vector<online::Account> ListAccounts() const override;
  // Served from memory; the new value is written with the next commit (see
  // README.md: a number is durable before any batch that uses it).
  std::uint64_t NextSequence(std::string_view counter) override;
  std::vector<online::OutboxItem> Outbox() const override;
  std::vector<online::AuditEvent> Events() const override;
  std::vector<online::NotificationRecord> ListNotifications(
      std::string_view user_id) const override;
  // One read transaction over every table, plus the counters in memory.
  online::StoreSnapshot Snapshot() const override;
  // One transaction: clears every table and writes the snapshot; the counters
  // become the snapshot's. Reset() is Restore of an empty snapshot.
  void Restore(const online::StoreSnapshot& snapshot) override;
  void Reset() override;

  WriterStats Stats() const;
  const std::string& path() const { return path_; }

 private:
  struct Job;
  class ReaderLease;

  explicit SqliteStore(std::string path);
  // Enqueues `job` for the writer thread and waits until it is committed.
  void Submit(Job& job);
  // Encodes the job's records to JSON (StoreError on a codec failure).
  void Encode(Job& job) const;
  std::vector<online::OutboxItem> ReadOutbox(Connection& c) const;
  std::vector<online::AuditEvent> ReadEvents(Connection& c) const;
  void WriterLoop();
  // One transaction for `group` (a savepoint per job) plus the counters; sets
  // each job's error when its part failed. True when a transaction committed.
  bool CommitGroup(const std::vector<Job*>& group);
  void WriteJob(const Job& job);
  // Upserts the counters if they changed since the last write; true if it did.
  bool WriteCounters();
  ReaderLease Reader() const;
  // Steps `q` to the end, decoding each row; a row that does not decode is a
  // StoreError naming the file.
  template <typename T, typename Decode>
  std::vector<T> Rows(Query& q, Decode decode) const;
  // The application of a query by a unique key, if any.
  std::optional<online::ApplicationRecord> OneApplication(Query& q) const;

  const std::string path_;
  const bool in_memory_;
  int lock_fd_ = -1;  // flock'ed: one SqliteStore per file

  // The writer connection. In memory it is also the only reader (a private
  // :memory: database cannot be shared), hence the mutex.
  std::unique_ptr<Connection> writer_;
  mutable std::mutex writer_mu_;

  // Idle reader connections (file databases only); more open on demand.
  mutable std::mutex readers_mu_;
  mutable std::vector<std::unique_ptr<Connection>> readers_;

  // The commit queue.
  mutable std::mutex queue_mu_;
  std::condition_variable queue_cv_;  // writer: work or stop
  std::condition_variable done_cv_;   // callers: a group finished
  std::vector<Job*> queue_;
  bool stop_ = false;
  WriterStats stats_;

  // Sequence counters, authoritative in memory, persisted by the writer.
  mutable std::mutex counters_mu_;
  std::map<std::string, std::uint64_t, std::less<>> counters_;
  bool counters_dirty_ = false;

  std::thread writer_thread_;  // last: starts after everything above exists
};

}  // namespace zairyu::storage
