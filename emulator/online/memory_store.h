// Store kept in memory (`--state :memory:` and unit tests).
#pragma once

#include <map>
#include <mutex>

#include "emulator/online/store.h"

namespace zairyu::online {

class MemoryStore final : public Store {
 public:
  void Apply(const StoreBatch& batch) override;
  std::optional<ApplicationRecord> GetApplication(std::string_view id) const override;
  std::vector<ApplicationRecord> ListApplications(std::string_view user_id) const override;
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
  std::vector<ApplicationRecord> applications_;            // submission order
  std::map<std::string, std::size_t, std::less<>> index_;  // id → position
  std::vector<NotificationRecord> notifications_;          // filing order
  std::map<std::string, std::size_t, std::less<>> notification_index_;
  std::map<std::string, std::uint64_t, std::less<>> sequences_;
  std::vector<OutboxItem> outbox_;
  std::vector<AuditEvent> events_;

  void ApplyLocked(const StoreBatch& batch);
  void ClearLocked();
};

}  // namespace zairyu::online
