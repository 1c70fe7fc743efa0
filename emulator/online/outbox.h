// What the emulated system "sent": e-mails and postal items, kept in an
// outbox that tests read through the control plane.
#pragma once

#include <string>

#include "emulator/online/clock.h"

namespace zairyu::online {

enum class Channel { kEmail, kPost };

struct OutboxItem {
  Channel channel = Channel::kEmail;
  std::string kind;     // stable name, e.g. "RECEIPT_NUMBER_NOTICE"
  std::string to;       // e-mail address, or the postal addressee
  std::string subject;  // e-mail subject / item description (Japanese, as sent)
  std::string body;
  std::string application_id;  // provisional number of the application
  Instant at;
  std::string rule_id;  // the rule that made it
};

}  // namespace zairyu::online
