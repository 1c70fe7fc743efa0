#include "emulator/storage/sqlite_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <filesystem>
#include <utility>

#include <fmt/format.h>

#include "emulator/storage/record_codec.h"
#include "emulator/storage/schema.h"

namespace zairyu::storage {
namespace {

using online::Account;
using online::ApplicationRecord;
using online::AuditEvent;
using online::NotificationRecord;
using online::OutboxItem;
using online::StoreBatch;

// How long a connection waits for a lock another connection holds (a
// checkpoint, WAL recovery) before it reports SQLITE_BUSY.
constexpr int kBusyTimeoutMs = 5000;

// Every statement is a constant, prepared once per connection (Query).
constexpr char kBegin[] = "BEGIN IMMEDIATE";
constexpr char kCommit[] = "COMMIT";
constexpr char kSavepoint[] = "SAVEPOINT batch";
constexpr char kRelease[] = "RELEASE batch";
constexpr char kRollbackTo[] = "ROLLBACK TO batch";
constexpr char kUpsertAccount[] =
    "INSERT INTO accounts (user_id, record) VALUES (?1, ?2) "
    "ON CONFLICT (user_id) DO UPDATE SET record = excluded.record";
constexpr char kUpsertApplication[] =
    "INSERT INTO applications (id, user_id, receipt_number, receipt_due_at, record, "
    "idempotency_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
    "ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, "
    "receipt_number = excluded.receipt_number, receipt_due_at = excluded.receipt_due_at, "
    "record = excluded.record, idempotency_key = excluded.idempotency_key";
constexpr char kInsertOutbox[] =
    "INSERT INTO outbox (channel, kind, recipient, subject, body, application_id, at, rule_id) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
constexpr char kUpsertNotification[] =
    "INSERT INTO notifications (id, user_id, record) VALUES (?1, ?2, ?3) "
    "ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, record = excluded.record";
constexpr char kInsertEvent[] =
    "INSERT INTO events (at, kind, subject_id, detail) VALUES (?1, ?2, ?3, ?4)";
constexpr char kUpsertSequence[] =
    "INSERT INTO sequences (name, value) VALUES (?1, ?2) "
    "ON CONFLICT (name) DO UPDATE SET value = excluded.value";
constexpr char kResetAll[] =
    "DELETE FROM accounts; DELETE FROM applications; DELETE FROM outbox; "
    "DELETE FROM events; DELETE FROM sequences; DELETE FROM notifications";
constexpr char kSelectSequences[] = "SELECT name, value FROM sequences";
constexpr char kSelectApplication[] = "SELECT record FROM applications WHERE id = ?1";
constexpr char kSelectByIdempotencyKey[] =
    "SELECT record FROM applications WHERE user_id = ?1 AND idempotency_key = ?2";
constexpr char kSelectUserApplications[] =
    "SELECT record FROM applications WHERE user_id = ?1 ORDER BY seq";
constexpr char kSelectDue[] =
    "SELECT record FROM applications WHERE receipt_number IS NULL AND receipt_due_at <= ?1 "
    "ORDER BY receipt_due_at, seq";
constexpr char kSelectAllApplications[] = "SELECT record FROM applications ORDER BY seq";
constexpr char kSelectUserNotifications[] =
    "SELECT record FROM notifications WHERE user_id = ?1 ORDER BY seq";
constexpr char kSelectAllNotifications[] = "SELECT record FROM notifications ORDER BY seq";
constexpr char kSelectAccount[] = "SELECT record FROM accounts WHERE user_id = ?1";
constexpr char kSelectAccounts[] = "SELECT record FROM accounts ORDER BY user_id";
constexpr char kSelectOutbox[] =
    "SELECT channel, kind, recipient, subject, body, application_id, at, rule_id "
    "FROM outbox ORDER BY seq";
constexpr char kSelectEvents[] = "SELECT at, kind, subject_id, detail FROM events ORDER BY seq";

std::int64_t Seconds(online::Instant t) { return t.time_since_epoch().count(); }

online::Instant AtSeconds(std::int64_t s) { return online::Instant{std::chrono::seconds{s}}; }

// Makes the directory entry of a just-created database file durable. SQLite
// syncs the directory for the WAL it creates, not for the main file, and
// the WAL alone cannot be recovered without it after a power loss.
void SyncDirectoryOf(const std::string& path) {
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (dir.empty()) dir = ".";
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0 || ::fsync(fd) != 0) {
    const std::string error = std::strerror(errno);
    if (fd >= 0) ::close(fd);
    throw StoreError(fmt::format("{}: cannot sync its directory: {}", path, error));
  }
  ::close(fd);
}

bool Empty(const StoreBatch& b) {
  return b.accounts.empty() && b.applications.empty() && b.notifications.empty() &&
         b.outbox.empty() && b.events.empty();
}

}  // namespace

// One caller's batch waiting in the commit queue; with `replace` every table
// is cleared first (Reset, Restore). It lives on the caller's stack; the
// caller sleeps until `done`.
struct SqliteStore::Job {
  const StoreBatch* batch = nullptr;
  bool replace = false;
  std::vector<std::string> accounts;       // JSON, parallel to batch->accounts
  std::vector<std::string> applications;   // JSON, parallel to batch->applications
  std::vector<std::string> notifications;  // JSON, parallel to batch->notifications
  bool done = false;                       // guarded by queue_mu_
  std::exception_ptr error;                // set by the writer before `done`
};

// A connection lent to one read: an idle reader of the pool (returned on
// destruction) or, in memory, the writer connection under its mutex.
class SqliteStore::ReaderLease {
 public:
  ReaderLease(const SqliteStore& store, std::unique_ptr<Connection> own,
              std::unique_lock<std::mutex> writer_lock)
      : store_(store), own_(std::move(own)), writer_lock_(std::move(writer_lock)) {}
  ~ReaderLease() {
    if (!own_) return;
    std::lock_guard lock(store_.readers_mu_);
    store_.readers_.push_back(std::move(own_));
  }
  ReaderLease(const ReaderLease&) = delete;
  ReaderLease& operator=(const ReaderLease&) = delete;

  Connection& get() { return own_ ? *own_ : *store_.writer_; }

 private:
  const SqliteStore& store_;
  std::unique_ptr<Connection> own_;
  std::unique_lock<std::mutex> writer_lock_;
};

std::unique_ptr<SqliteStore> SqliteStore::Open(const std::string& path) {
  return std::unique_ptr<SqliteStore>(new SqliteStore(path));
}

SqliteStore::SqliteStore(std::string path)
    : path_(std::move(path)), in_memory_(path_ == ":memory:") {
  try {
    if (!in_memory_) {
      // SQLite's own locks would let a second store in. A flock (independent
      // of SQLite's fcntl locks on Linux) keeps out a second writer whose
      // in-memory counters would hand out the same numbers.
      lock_fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
      if (lock_fd_ < 0) throw StoreError(fmt::format("{}: {}", path_, std::strerror(errno)));
      if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
        throw StoreError(fmt::format("{}: already open in another SqliteStore", path_));
      }
      SyncDirectoryOf(path_);
    }
    writer_ = std::make_unique<Connection>(path_);
    writer_->SetBusyTimeout(kBusyTimeoutMs);
    const std::string mode = writer_->QueryText("PRAGMA journal_mode=WAL");
    if (!in_memory_ && mode != "wal") {
      throw StoreError(fmt::format("{}: cannot use WAL (journal_mode is {})", path_, mode));
    }
    writer_->Exec("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON");
    const std::string check = writer_->QueryText("PRAGMA quick_check");
    if (check != "ok") {
      throw StoreError(fmt::format("{}: damaged (quick_check: {})", path_, check.substr(0, 200)));
    }
    Migrate(*writer_);
    Query q(*writer_, kSelectSequences);
    while (q.Step()) counters_[q.Text(0)] = static_cast<std::uint64_t>(q.Int(1));
  } catch (const std::exception& e) {
    writer_.reset();  // before the flock fd: closing it must not touch SQLite's locks
    if (lock_fd_ >= 0) ::close(lock_fd_);
    throw StoreError(fmt::format("cannot open state database: {}", e.what()));
  }
  writer_thread_ = std::thread([this] { WriterLoop(); });
}

SqliteStore::~SqliteStore() {
  {
    std::lock_guard lock(queue_mu_);
    stop_ = true;
  }
  queue_cv_.notify_one();
  writer_thread_.join();
  // The last connection to close checkpoints the WAL into the file.
  readers_.clear();
  writer_.reset();
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

void SqliteStore::Encode(Job& job) const {
  const StoreBatch& batch = *job.batch;
  // Encoding runs on the caller's thread, so the writer only binds and steps.
  try {
    for (const Account& a : batch.accounts) job.accounts.push_back(EncodeAccount(a));
    for (const ApplicationRecord& a : batch.applications) {
      job.applications.push_back(EncodeApplication(a));
    }
    for (const NotificationRecord& n : batch.notifications) {
      job.notifications.push_back(EncodeNotification(n));
    }
  } catch (const CodecError& e) {
    throw StoreError(fmt::format("{}: {}", path_, e.what()));
  }
}

void SqliteStore::Apply(const StoreBatch& batch) {
  // The core applies empty batches on every call (nothing fell due): no fsync.
  if (Empty(batch)) return;
  Job job;
  job.batch = &batch;
  Encode(job);
  Submit(job);
}

void SqliteStore::Reset() { Restore({}); }

void SqliteStore::Restore(const online::StoreSnapshot& snapshot) {
  Job job;
  job.batch = &snapshot.content;
  job.replace = true;
  Encode(job);
  std::map<std::string, std::uint64_t, std::less<>> before;
  {
    std::lock_guard lock(counters_mu_);
    before = std::exchange(counters_, snapshot.sequences);
  }
  try {
    Submit(job);
  } catch (...) {
    // The tables were kept, so their numbers must not be handed out again.
    std::lock_guard lock(counters_mu_);
    for (const auto& [name, value] : before) {
      std::uint64_t& now = counters_[name];
      now = std::max(now, value);
    }
    counters_dirty_ = true;
    throw;
  }
}

void SqliteStore::Submit(Job& job) {
  std::unique_lock lock(queue_mu_);
  queue_.push_back(&job);
  queue_cv_.notify_one();
  done_cv_.wait(lock, [&] { return job.done; });
  lock.unlock();
  if (job.error) std::rethrow_exception(job.error);
}

void SqliteStore::WriterLoop() {
  std::unique_lock lock(queue_mu_);
  for (;;) {
    queue_cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) break;  // stopping, and nothing left
    std::vector<Job*> group;
    group.swap(queue_);
    stats_.writing = group.size();
    lock.unlock();
    const bool committed = CommitGroup(group);
    lock.lock();
    stats_.writing = 0;
    if (committed) ++stats_.transactions;
    for (Job* job : group) {
      if (!job->error) ++stats_.batches;
      job->done = true;
    }
    done_cv_.notify_all();
  }
  lock.unlock();
  // Numbers handed out since the last commit (clean shutdown only). A failure
  // here cannot be reported from a destructor; such numbers were never used
  // by a stored batch, so reissuing them after a restart is harmless.
  CommitGroup({});
}

bool SqliteStore::CommitGroup(const std::vector<Job*>& group) {
  std::lock_guard conn_lock(writer_mu_);
  Connection& c = *writer_;
  bool counters_written = false;
  try {
    {
      std::lock_guard lock(counters_mu_);
      if (group.empty() && !counters_dirty_) return false;
    }
    Query(c, kBegin).Run();
    for (Job* job : group) {
      Query(c, kSavepoint).Run();
      try {
        WriteJob(*job);
        Query(c, kRelease).Run();
      } catch (...) {
        job->error = std::current_exception();
        // An I/O error or a full disk ends the whole transaction: fail the group.
        if (c.Autocommit()) throw;
        Query(c, kRollbackTo).Run();
        Query(c, kRelease).Run();
      }
    }
    counters_written = WriteCounters();
    Query(c, kCommit).Run();  // the fsync of the WAL: durable from here
    return true;
  } catch (...) {
    c.RollbackQuietly();
    if (counters_written) {
      std::lock_guard lock(counters_mu_);
      counters_dirty_ = true;
    }
    for (Job* job : group) {
      if (!job->error) job->error = std::current_exception();
    }
    return false;
  }
}

void SqliteStore::WriteJob(const Job& job) {
  Connection& c = *writer_;
  if (job.replace) {
    c.Exec(kResetAll);
    // The counters were replaced in memory and the table is now empty: write
    // the memory state again.
    std::lock_guard lock(counters_mu_);
    counters_dirty_ = true;
  }
  const StoreBatch& b = *job.batch;
  for (std::size_t i = 0; i < b.accounts.size(); ++i) {
    Query(c, kUpsertAccount).Bind(1, b.accounts[i].user_id).Bind(2, job.accounts[i]).Run();
  }
  for (std::size_t i = 0; i < b.applications.size(); ++i) {
    const ApplicationRecord& a = b.applications[i];
    Query(c, kUpsertApplication)
        .Bind(1, a.id)
        .Bind(2, a.user_id)
        .BindNullable(3, a.receipt_number)
        .Bind(4, Seconds(a.receipt_due_at))
        .Bind(5, job.applications[i])
        .BindNullable(6, a.idempotency ? std::optional(a.idempotency->key) : std::nullopt)
        .Run();
  }
  for (std::size_t i = 0; i < b.notifications.size(); ++i) {
    Query(c, kUpsertNotification)
        .Bind(1, b.notifications[i].id)
        .Bind(2, b.notifications[i].user_id)
        .Bind(3, job.notifications[i])
        .Run();
  }
  for (const OutboxItem& o : b.outbox) {
    Query(c, kInsertOutbox)
        .Bind(1, ChannelName(o.channel))
        .Bind(2, o.kind)
        .Bind(3, o.to)
        .Bind(4, o.subject)
        .Bind(5, o.body)
        .Bind(6, o.application_id)
        .Bind(7, Seconds(o.at))
        .Bind(8, o.rule_id)
        .Run();
  }
  for (const AuditEvent& e : b.events) {
    Query(c, kInsertEvent)
        .Bind(1, Seconds(e.at))
        .Bind(2, e.kind)
        .Bind(3, e.subject_id)
        .Bind(4, e.detail)
        .Run();
  }
}

bool SqliteStore::WriteCounters() {
  std::map<std::string, std::uint64_t, std::less<>> snapshot;
  {
    std::lock_guard lock(counters_mu_);
    if (!counters_dirty_) return false;
    snapshot = counters_;
    counters_dirty_ = false;
  }
  for (const auto& [name, value] : snapshot) {
    Query(*writer_, kUpsertSequence).Bind(1, name).Bind(2, static_cast<std::int64_t>(value)).Run();
  }
  return true;
}

std::uint64_t SqliteStore::NextSequence(std::string_view counter) {
  std::lock_guard lock(counters_mu_);
  auto it = counters_.find(counter);
  if (it == counters_.end()) it = counters_.emplace(std::string(counter), 0).first;
  counters_dirty_ = true;
  return ++it->second;
}

WriterStats SqliteStore::Stats() const {
  std::lock_guard lock(queue_mu_);
  WriterStats s = stats_;
  s.queued = queue_.size();
  return s;
}

SqliteStore::ReaderLease SqliteStore::Reader() const {
  if (in_memory_) return ReaderLease(*this, nullptr, std::unique_lock(writer_mu_));
  {
    std::lock_guard lock(readers_mu_);
    if (!readers_.empty()) {
      std::unique_ptr<Connection> c = std::move(readers_.back());
      readers_.pop_back();
      return ReaderLease(*this, std::move(c), {});
    }
  }
  auto c = std::make_unique<Connection>(path_);
  c->SetBusyTimeout(kBusyTimeoutMs);
  c->Exec("PRAGMA query_only=1");
  return ReaderLease(*this, std::move(c), {});
}

template <typename T, typename Decode>
std::vector<T> SqliteStore::Rows(Query& q, Decode decode) const {
  std::vector<T> out;
  try {
    while (q.Step()) out.push_back(decode(q));
  } catch (const CodecError& e) {
    throw StoreError(fmt::format("{}: {}", path_, e.what()));
  }
  return out;
}

std::optional<ApplicationRecord> SqliteStore::OneApplication(Query& q) const {
  auto rows = Rows<ApplicationRecord>(q, [](Query& r) { return DecodeApplication(r.Text(0)); });
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

std::optional<ApplicationRecord> SqliteStore::GetApplication(std::string_view id) const {
  ReaderLease lease = Reader();
  Query q(lease.get(), kSelectApplication);
  q.Bind(1, id);
  return OneApplication(q);
}

std::optional<ApplicationRecord> SqliteStore::FindByIdempotencyKey(std::string_view user_id,
                                                                   std::string_view key) const {
  ReaderLease lease = Reader();
  Query q(lease.get(), kSelectByIdempotencyKey);
  q.Bind(1, user_id).Bind(2, key);
  return OneApplication(q);
}

std::vector<ApplicationRecord> SqliteStore::ListApplications(std::string_view user_id) const {
  ReaderLease lease = Reader();
  Query q(lease.get(), kSelectUserApplications);
  q.Bind(1, user_id);
  return Rows<ApplicationRecord>(q, [](Query& r) { return DecodeApplication(r.Text(0)); });
}

std::vector<ApplicationRecord> SqliteStore::DueForReceiptNumber(online::Instant due_by) const {
  ReaderLease lease = Reader();
  Query q(lease.get(), kSelectDue);
  q.Bind(1, Seconds(due_by));
  return Rows<ApplicationRecord>(q, [](Query& r) { return DecodeApplication(r.Text(0)); });
}

std::optional<Account> SqliteStore::GetAccount(std::string_view user_id) const {
  ReaderLease lease = Reader();
  Query q(lease.get(), kSelectAccount);
  q.Bind(1, user_id);
  auto rows = Rows<Account>(q, [](Query& r) { return DecodeAccount(r.Text(0)); });
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

std::vector<Account> SqliteStore::ListAccounts() const {
  ReaderLease lease = Reader();
  Query q(lease.get(), kSelectAccounts);
  return Rows<Account>(q, [](Query& r) { return DecodeAccount(r.Text(0)); });
}

std::vector<OutboxItem> SqliteStore::Outbox() const {
  ReaderLease lease = Reader();
  return ReadOutbox(lease.get());
}

std::vector<AuditEvent> SqliteStore::Events() const {
  ReaderLease lease = Reader();
  return ReadEvents(lease.get());
}

std::vector<OutboxItem> SqliteStore::ReadOutbox(Connection& c) const {
  Query q(c, kSelectOutbox);
  return Rows<OutboxItem>(q, [](Query& r) {
    return OutboxItem{
        ParseChannel(r.Text(0)), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5),
        AtSeconds(r.Int(6)),     r.Text(7)};
  });
}

std::vector<AuditEvent> SqliteStore::ReadEvents(Connection& c) const {
  Query q(c, kSelectEvents);
  return Rows<AuditEvent>(q, [](Query& r) {
    return AuditEvent{AtSeconds(r.Int(0)), r.Text(1), r.Text(2), r.Text(3)};
  });
}

std::vector<NotificationRecord> SqliteStore::ListNotifications(std::string_view user_id) const {
  ReaderLease lease = Reader();
  Query q(lease.get(), kSelectUserNotifications);
  q.Bind(1, user_id);
  return Rows<NotificationRecord>(q, [](Query& r) { return DecodeNotification(r.Text(0)); });
}

online::StoreSnapshot SqliteStore::Snapshot() const {
  online::StoreSnapshot s;
  {
    std::lock_guard lock(counters_mu_);
    s.sequences = counters_;
  }
  ReaderLease lease = Reader();
  Connection& c = lease.get();
  // One read transaction: every table from the same commit.
  c.Exec("BEGIN");
  try {
    Query accounts(c, kSelectAccounts);
    s.content.accounts = Rows<Account>(accounts, [](Query& r) { return DecodeAccount(r.Text(0)); });
    Query applications(c, kSelectAllApplications);
    s.content.applications = Rows<ApplicationRecord>(
        applications, [](Query& r) { return DecodeApplication(r.Text(0)); });
    Query notifications(c, kSelectAllNotifications);
    s.content.notifications = Rows<NotificationRecord>(
        notifications, [](Query& r) { return DecodeNotification(r.Text(0)); });
    s.content.outbox = ReadOutbox(c);
    s.content.events = ReadEvents(c);
    c.Exec("COMMIT");
  } catch (...) {
    c.RollbackQuietly();
    throw;
  }
  return s;
}

}  // namespace zairyu::storage
