#include "emulator/online/notification_service.h"

#include <fmt/format.h>

#include "emulator/online/rule_catalog.h"

namespace zairyu::online {
namespace {

// 届出番号: "N" + JST date + "-" + 6-digit sequence. The real format is not
// documented.
std::string NotificationNumber(Date d, std::uint64_t sequence) {
  return fmt::format("N{:04}{:02}{:02}-{:06}", static_cast<int>(d.year()),
                     static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()), sequence);
}

}  // namespace

NotificationService::NotificationService(const Clock& clock, Store& store,
                                         NotificationOptions options)
    : clock_(clock), store_(store), options_(options) {}

Result<NotificationRecord> NotificationService::Submit(const NotificationFiling& filing) {
  const Instant now = clock_.Now();
  const Date today = JstDate(now);
  const NotificationRequest& n = filing.notification;
  if (Check c = CheckNotification(filing.category, n, today)) return *c;
  const Date deadline = NotificationDeadline(n.kind, n.event_date);
  const bool late = today > deadline;
  if (late && options_.refuse_late) {
    Rejection r = Reject("ENS-DATE-001", "NOTIFICATION_LATE", ErrorCategory::kFailedPrecondition,
                         "the deadline was " + FormatDate(deadline));
    r.field_violations.push_back({"event_date", r.message});
    return r;
  }
  NotificationRecord record{NotificationNumber(today, store_.NextSequence("notification")),
                            filing.user_id,
                            filing.user_email,
                            n,
                            now,
                            deadline,
                            late};
  std::string body = "届出番号: " + record.id +
                     "\n届出の種類: " + std::string(NotificationKindTitle(n.kind)) +
                     "\n届出事由の発生日: " + FormatDate(n.event_date);
  if (late) body += "\n届出期限（" + FormatDate(deadline) + "）を過ぎて受け付けました。";
  StoreBatch batch;
  batch.notifications.push_back(record);
  batch.outbox.push_back({Channel::kEmail, "NOTIFICATION_RECEIPT", filing.user_email,
                          "【出入国在留管理庁電子届出システム】届出受付のお知らせ", std::move(body),
                          record.id, now, "ENS-LIFE-001"});
  batch.events.push_back({now, late ? "NOTIFICATION_FILED_LATE" : "NOTIFICATION_FILED", record.id,
                          std::string(NotificationKindName(n.kind))});
  store_.Apply(batch);
  return record;
}

std::vector<NotificationRecord> NotificationService::List(std::string_view user_id) const {
  return store_.ListNotifications(user_id);
}

}  // namespace zairyu::online
