// Store kept in memory (`--state :memory:` and unit tests).
#pragma once

#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <utility>

#include "emulator/online/store.h"

namespace zairyu::online {

// Records live in deques (no capacity slack as they grow; positions stay
// valid), applications waiting for a formal number are indexed by due time,
// so DueForReceiptNumber, asked on every call, costs O(due), not O(stored).
class MemoryStore final : public Store {
 public:
  void Apply(const StoreBatch& batch) override;
  std::optional<ApplicationRecord> GetApplication(std::string_view id) const override;
  std::vector<ApplicationRecord> ListApplications(std::string_view user_id) const override;
  std::optional<ApplicationRecord> FindByIdempotencyKey(std::string_view user_id,
                                                        std::string_view key) const override;
  std::vector<ApplicationRecord> DueForReceiptNumber(Instant due_by) const override;
  std::optional<Account> GetAccount(std::string_view user_id) const override;
  std::vector<Account> ListAccounts() const override;
  std::uint64_t NextSequence(std::string_view counter) override;
  std::vector<OutboxItem> Outbox() const override;
  std::vector<AuditEvent> Events() const override;
  std::vector<NotificationRecord> ListNotifications(std::string_view user_id) const override;
  StoreSnapshot Snapshot() const override;
  void Restore(const StoreSnapshot& snapshot) override;
  void Reset() override;

 private:
  mutable std::mutex mu_;
  std::map<std::string, Account, std::less<>> accounts_;
  std::deque<ApplicationRecord> applications_;             // submission order
  std::map<std::string, std::size_t, std::less<>> index_;  // id → position
  // (user_id, idempotency key) → position
  std::map<std::pair<std::string, std::string>, std::size_t> idempotency_index_;
  // (receipt_due_at, position) of the applications without a receipt number.
  std::set<std::pair<Instant, std::size_t>> pending_;
  std::deque<NotificationRecord> notifications_;  // filing order
  std::map<std::string, std::size_t, std::less<>> notification_index_;
  std::map<std::string, std::uint64_t, std::less<>> sequences_;
  std::deque<OutboxItem> outbox_;
  std::deque<AuditEvent> events_;

  void ApplyLocked(const StoreBatch& batch);
  void UpsertApplication(const ApplicationRecord& a);
  void ClearLocked();
};

}  // namespace zairyu::online
