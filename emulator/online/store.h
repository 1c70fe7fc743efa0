// Storage interface of the online core: accounts, applications,
// e-notifications, outbox, audit events and counters. Writes come as one batch that the
// store applies atomically (a SQLite store commits it as one transaction), so
// an acknowledged submission never exists without its mail and audit entries.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/online/account.h"
#include "emulator/online/application_record.h"
#include "emulator/online/audit_event.h"
#include "emulator/online/notification_record.h"
#include "emulator/online/outbox.h"

namespace zairyu::online {

struct StoreBatch {
  std::vector<Account> accounts;                  // insert or replace by user_id
  std::vector<ApplicationRecord> applications;    // insert or replace by id
  std::vector<NotificationRecord> notifications;  // insert or replace by id
  std::vector<OutboxItem> outbox;                 // appended
  std::vector<AuditEvent> events;                 // appended
};

// Everything a store holds, for the control plane's snapshot/restore by name.
// Applications and notifications are in submission order.
struct StoreSnapshot {
  StoreBatch content;
  std::map<std::string, std::uint64_t, std::less<>> sequences;
};

// Implementations are thread-safe.
class Store {
 public:
  virtual ~Store() = default;
  virtual void Apply(const StoreBatch& batch) = 0;
  virtual std::optional<ApplicationRecord> GetApplication(std::string_view id) const = 0;
  // All applications of `user_id`, in submission order.
  virtual std::vector<ApplicationRecord> ListApplications(std::string_view user_id) const = 0;
  // The user's application filed under that idempotency key (from an index).
  virtual std::optional<ApplicationRecord> FindByIdempotencyKey(std::string_view user_id,
                                                                std::string_view key) const = 0;
  // Applications still waiting for their formal receipt number whose
  // receipt_due_at <= due_by, by due time then submission order. The core
  // asks on every call, so stores answer from an index, not a full scan.
  virtual std::vector<ApplicationRecord> DueForReceiptNumber(Instant due_by) const = 0;
  virtual std::optional<Account> GetAccount(std::string_view user_id) const = 0;
  virtual std::vector<Account> ListAccounts() const = 0;
  // 1, 2, 3, ... per counter name; survives everything but Reset().
  virtual std::uint64_t NextSequence(std::string_view counter) = 0;
  virtual std::vector<OutboxItem> Outbox() const = 0;
  virtual std::vector<AuditEvent> Events() const = 0;
  // The user's e-notifications in filing order.
  virtual std::vector<NotificationRecord> ListNotifications(std::string_view user_id) const = 0;
  // A consistent copy of everything (taken between two batches).
  virtual StoreSnapshot Snapshot() const = 0;
  // Replaces everything, counters included, with `snapshot` atomically.
  virtual void Restore(const StoreSnapshot& snapshot) = 0;
  // Back to empty (the control plane's reset).
  virtual void Reset() = 0;
};

}  // namespace zairyu::online
