// One entry of the emulator's audit log (the control plane streams them).
#pragma once

#include <string>

#include "emulator/online/clock.h"

namespace zairyu::online {

struct AuditEvent {
  Instant at;
  std::string kind;        // "APPLICATION_SUBMITTED", "RECEIPT_NUMBER_ISSUED", ...
  std::string subject_id;  // the application's provisional number
  std::string detail;
};

}  // namespace zairyu::online
