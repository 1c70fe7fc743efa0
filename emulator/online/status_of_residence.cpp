#include "emulator/online/status_of_residence.h"

namespace zairyu::online {

bool PeriodOfStay::AtMostThreeMonths() const {
  if (indefinite || years > 0) return false;
  if (months > 3) return false;
  if (months == 3) return days == 0;
  return months * 30 + days <= 90;
}

}  // namespace zairyu::online
