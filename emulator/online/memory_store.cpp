#include "emulator/online/memory_store.h"

namespace zairyu::online {

namespace {

// Inserts `record` at the end, or replaces the one with its id.
template <typename Record>
void Upsert(std::deque<Record>& records, std::map<std::string, std::size_t, std::less<>>& index,
            const Record& record) {
  auto it = index.find(record.id);
  if (it == index.end()) {
    index.emplace(record.id, records.size());
    records.push_back(record);
  } else {
    records[it->second] = record;
  }
}

}  // namespace

void MemoryStore::Apply(const StoreBatch& batch) {
  std::lock_guard lock(mu_);
  ApplyLocked(batch);
}

void MemoryStore::ApplyLocked(const StoreBatch& batch) {
  for (const Account& a : batch.accounts) accounts_.insert_or_assign(a.user_id, a);
  for (const ApplicationRecord& a : batch.applications) UpsertApplication(a);
  for (const NotificationRecord& n : batch.notifications) {
    Upsert(notifications_, notification_index_, n);
  }
  outbox_.insert(outbox_.end(), batch.outbox.begin(), batch.outbox.end());
  events_.insert(events_.end(), batch.events.begin(), batch.events.end());
}

void MemoryStore::UpsertApplication(const ApplicationRecord& a) {
  auto it = index_.find(a.id);
  std::size_t position = applications_.size();
  if (it == index_.end()) {
    index_.emplace(a.id, position);
    applications_.push_back(a);
  } else {
    position = it->second;
    const ApplicationRecord& old = applications_[position];
    if (!old.receipt_number) pending_.erase({old.receipt_due_at, position});
    applications_[position] = a;
  }
  if (!a.receipt_number) pending_.emplace(a.receipt_due_at, position);
  if (a.idempotency) idempotency_index_.insert_or_assign({a.user_id, a.idempotency->key}, position);
}

std::optional<ApplicationRecord> MemoryStore::GetApplication(std::string_view id) const {
  std::lock_guard lock(mu_);
  auto it = index_.find(id);
  if (it == index_.end()) return std::nullopt;
  return applications_[it->second];
}

std::vector<ApplicationRecord> MemoryStore::ListApplications(std::string_view user_id) const {
  std::lock_guard lock(mu_);
  std::vector<ApplicationRecord> out;
  for (const auto& a : applications_) {
    if (a.user_id == user_id) out.push_back(a);
  }
  return out;
}

std::optional<ApplicationRecord> MemoryStore::FindByIdempotencyKey(std::string_view user_id,
                                                                   std::string_view key) const {
  std::lock_guard lock(mu_);
  auto it = idempotency_index_.find(std::pair{std::string(user_id), std::string(key)});
  if (it == idempotency_index_.end()) return std::nullopt;
  return applications_[it->second];
}

std::vector<ApplicationRecord> MemoryStore::DueForReceiptNumber(Instant due_by) const {
  std::lock_guard lock(mu_);
  std::vector<ApplicationRecord> out;
  for (const auto& [due_at, position] : pending_) {
    if (due_at > due_by) break;
    out.push_back(applications_[position]);
  }
  return out;
}

std::optional<Account> MemoryStore::GetAccount(std::string_view user_id) const {
  std::lock_guard lock(mu_);
  auto it = accounts_.find(user_id);
  if (it == accounts_.end()) return std::nullopt;
  return it->second;
}

std::vector<Account> MemoryStore::ListAccounts() const {
  std::lock_guard lock(mu_);
  std::vector<Account> out;
  for (const auto& [id, a] : accounts_) out.push_back(a);
  return out;
}

std::uint64_t MemoryStore::NextSequence(std::string_view counter) {
  std::lock_guard lock(mu_);
  auto it = sequences_.find(counter);
  if (it == sequences_.end()) it = sequences_.emplace(std::string(counter), 0).first;
  return ++it->second;
}

std::vector<OutboxItem> MemoryStore::Outbox() const {
  std::lock_guard lock(mu_);
  return {outbox_.begin(), outbox_.end()};
}

std::vector<AuditEvent> MemoryStore::Events() const {
  std::lock_guard lock(mu_);
  return {events_.begin(), events_.end()};
}

std::vector<NotificationRecord> MemoryStore::ListNotifications(std::string_view user_id) const {
  std::lock_guard lock(mu_);
  std::vector<NotificationRecord> out;
  for (const auto& n : notifications_) {
    if (n.user_id == user_id) out.push_back(n);
  }
  return out;
}

StoreSnapshot MemoryStore::Snapshot() const {
  std::lock_guard lock(mu_);
  StoreSnapshot s;
  for (const auto& [id, a] : accounts_) s.content.accounts.push_back(a);
  s.content.applications.assign(applications_.begin(), applications_.end());
  s.content.notifications.assign(notifications_.begin(), notifications_.end());
  s.content.outbox.assign(outbox_.begin(), outbox_.end());
  s.content.events.assign(events_.begin(), events_.end());
  s.sequences = sequences_;
  return s;
}

void MemoryStore::Restore(const StoreSnapshot& snapshot) {
  std::lock_guard lock(mu_);
  ClearLocked();
  ApplyLocked(snapshot.content);
  sequences_ = snapshot.sequences;
}

void MemoryStore::Reset() {
  std::lock_guard lock(mu_);
  ClearLocked();
}

void MemoryStore::ClearLocked() {
  accounts_.clear();
  applications_.clear();
  index_.clear();
  pending_.clear();
  idempotency_index_.clear();
  notifications_.clear();
  notification_index_.clear();
  sequences_.clear();
  outbox_.clear();
  events_.clear();
}

}  // namespace zairyu::online
