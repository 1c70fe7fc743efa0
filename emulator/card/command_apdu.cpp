#include "emulator/card/command_apdu.h"

#include "emulator/card/status_words.h"

namespace zairyu::card {
namespace {

ParsedApdu wrong_length() { return ParsedApdu{std::nullopt, sw::kWrongLength}; }

}  // namespace

ParsedApdu parse_command_apdu(ByteView bytes) noexcept {
  const std::size_t n = bytes.size();
  if (n < 4) return wrong_length();
  CommandApdu c;
  c.cla = bytes[0];
  c.ins = bytes[1];
  c.p1 = bytes[2];
  c.p2 = bytes[3];
  if (n == 4) {
    c.apdu_case = ApduCase::k1;
    return ParsedApdu{c, 0};
  }
  const std::size_t b4 = bytes[4];
  if (n == 5) {  // case 2 short: Le only
    c.apdu_case = ApduCase::k2;
    c.le = b4 == 0 ? 256 : static_cast<std::uint32_t>(b4);
    return ParsedApdu{c, 0};
  }
  if (b4 != 0) {  // short Lc
    const std::size_t lc = b4;
    if (n == 5 + lc) {
      c.apdu_case = ApduCase::k3;
    } else if (n == 6 + lc) {
      c.apdu_case = ApduCase::k4;
      const std::size_t le = bytes[n - 1];
      c.le = le == 0 ? 256 : static_cast<std::uint32_t>(le);
    } else {
      return wrong_length();
    }
    c.data = bytes.subspan(5, lc);
    return ParsedApdu{c, 0};
  }
  // B4 = 00 followed by more bytes: extended length.
  if (n < 7) return wrong_length();
  c.extended = true;
  const std::size_t b56 = (static_cast<std::size_t>(bytes[5]) << 8) | bytes[6];
  if (n == 7) {  // case 2 extended
    c.apdu_case = ApduCase::k2;
    c.le = b56 == 0 ? 65536 : static_cast<std::uint32_t>(b56);
    return ParsedApdu{c, 0};
  }
  const std::size_t lc = b56;
  if (lc == 0) return wrong_length();
  if (n == 7 + lc) {
    c.apdu_case = ApduCase::k3;
  } else if (n == 9 + lc) {
    c.apdu_case = ApduCase::k4;
    const std::size_t le = (static_cast<std::size_t>(bytes[n - 2]) << 8) | bytes[n - 1];
    c.le = le == 0 ? 65536 : static_cast<std::uint32_t>(le);
  } else {
    return wrong_length();
  }
  c.data = bytes.subspan(7, lc);
  return ParsedApdu{c, 0};
}

}  // namespace zairyu::card
