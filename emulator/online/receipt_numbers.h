// Application numbers and when the formal one is issued ([MAHARI][BD],
// online-system.md §4). The real formats are not documented; the emulator's
// are guesses shaped like the one public example (福オンＥＮ25001878).
#pragma once

#include <cstdint>
#include <string>

#include "emulator/online/clock.h"
#include "emulator/online/jst.h"

namespace zairyu::online {

// 仮受付番号: "P" + JST date + "-" + 6-digit sequence, e.g. "P20250801-000001".
std::string ProvisionalNumber(Date submitted_on, std::uint64_t sequence);
// 受付番号: "東オンＥＮ" + 2-digit year + 6-digit sequence, e.g. "東オンＥＮ25000001"
// (東 = the Tokyo bureau's nationwide online examination unit [POLARIS]).
std::string FormalReceiptNumber(Date issued_on, std::uint64_t sequence);
// RAS-LIFE-002: 02:10 JST on the JST day after the submission.
Instant ReceiptDueAt(Instant submitted_at);

}  // namespace zairyu::online
