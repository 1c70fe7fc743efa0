#include "emulator/online/receipt_numbers.h"

#include <fmt/format.h>

namespace zairyu::online {

std::string ProvisionalNumber(Date d, std::uint64_t sequence) {
  return fmt::format("P{:04}{:02}{:02}-{:06}", static_cast<int>(d.year()),
                     static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()), sequence);
}

std::string FormalReceiptNumber(Date d, std::uint64_t sequence) {
  return fmt::format("東オンＥＮ{:02}{:06}", static_cast<int>(d.year()) % 100, sequence);
}

Instant ReceiptDueAt(Instant submitted_at) {
  return JstTime(AddDays(JstDate(submitted_at), 1), 2, 10);
}

}  // namespace zairyu::online
