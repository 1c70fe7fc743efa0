#include "emulator/card/random_source.h"

namespace zairyu::card {

Bytes SeededRandomSource::bytes(std::size_t count) {
  Bytes out(count);
  std::uint64_t word = 0;
  for (std::size_t i = 0; i < count; ++i) {
    if (i % 8 == 0) word = engine_();
    out[i] = static_cast<std::uint8_t>(word >> (8 * (i % 8)));
  }
  return out;
}

}  // namespace zairyu::card
