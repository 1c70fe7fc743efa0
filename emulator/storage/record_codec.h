// JSON encoding of the nested records (Account, ApplicationRecord, NotificationRecord) that the
// SQLite store keeps in a `record` column beside its indexed key columns.
// Enums are written by stable name, dates as "YYYY-MM-DD", instants as UTC
// seconds, so a reordered enum never changes the meaning of a stored row.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "emulator/online/account.h"
#include "emulator/online/application_record.h"
#include "emulator/online/notification_record.h"
#include "emulator/online/outbox.h"

namespace zairyu::storage {

// A stored value that does not decode (unknown enum name, bad date, bad JSON).
class CodecError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::string EncodeAccount(const online::Account& a);
online::Account DecodeAccount(std::string_view json);
std::string EncodeApplication(const online::ApplicationRecord& a);
online::ApplicationRecord DecodeApplication(std::string_view json);
std::string EncodeNotification(const online::NotificationRecord& n);
online::NotificationRecord DecodeNotification(std::string_view json);

std::string_view ChannelName(online::Channel c);
online::Channel ParseChannel(std::string_view name);

}  // namespace zairyu::storage
