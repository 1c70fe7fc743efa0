#include "emulator/online/memory_store.h"

#include <algorithm>

namespace zairyu::online {

namespace {

// Inserts `record` at the end, or replaces the one with its id.
template <typename Record>
void Upsert(std::vector<Record>& records, std::map<std::string, std::size_t, std::less<>>& index,
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
  for (const ApplicationRecord& a : batch.applications) Upsert(applications_, index_, a);
  for (const NotificationRecord& n : batch.notifications) {
    Upsert(notifications_, notification_index_, n);
  }
  outbox_.insert(outbox_.end(), batch.outbox.begin(), batch.outbox.end());
  events_.insert(events_.end(), batch.events.begin(), batch.events.end());
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

std::vector<ApplicationRecord> MemoryStore::DueForReceiptNumber(Instant due_by) const {
  std::lock_guard lock(mu_);
  std::vector<ApplicationRecord> out;
  for (const auto& a : applications_) {
    if (!a.receipt_number && a.receipt_due_at <= due_by) out.push_back(a);
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& x, const auto& y) {
    return x.receipt_due_at < y.receipt_due_at;
  });
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
  return outbox_;
}

std::vector<AuditEvent> MemoryStore::Events() const {
  std::lock_guard lock(mu_);
  return events_;
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
  s.content.applications = applications_;
  s.content.notifications = notifications_;
  s.content.outbox = outbox_;
  s.content.events = events_;
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
  notifications_.clear();
  notification_index_.clear();
  sequences_.clear();
  outbox_.clear();
  events_.clear();
}

}  // namespace zairyu::online
