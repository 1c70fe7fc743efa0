// Date shorthand for the online tests.
#pragma once

#include "emulator/online/jst.h"

namespace zairyu::online::test {

inline Date D(int y, unsigned m, unsigned d) {
  return Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

}  // namespace zairyu::online::test
