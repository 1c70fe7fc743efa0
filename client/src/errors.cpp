#include "zairyu/client/errors.h"

#include <fmt/format.h>

#include <utility>

#include "zairyu/client/bytes.h"

namespace zairyu::client {

std::string to_hex(ByteView bytes) {
  std::string out;
  out.reserve(bytes.size() * 3);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i != 0) out += ' ';
    out += fmt::format("{:02X}", bytes[i]);
  }
  return out;
}

TransportError::TransportError(const std::string& message, std::string code_name, long code)
    : CardError(message), code_name_(std::move(code_name)), code_(code) {}

CardStatusError::CardStatusError(const std::string& operation, std::uint16_t sw)
    : CardProtocolError(
          fmt::format("{}: card answered {:04X} ({})", operation, sw, describe_status_word(sw))),
      sw_(sw) {}

std::string describe_status_word(std::uint16_t sw) {
  if ((sw & 0xFFF0) == 0x63C0) return fmt::format("verification failed, {} tries left", sw & 0xF);
  if ((sw & 0xFF00) == 0x6100) return "more response data available";
  if ((sw & 0xFF00) == 0x6C00) return "wrong Le";
  switch (sw) {
    case 0x9000:
      return "success";
    case 0x6282:
      return "end of file reached";
    case 0x6300:
      return "verification failed";
    case 0x6700:
      return "wrong length";
    case 0x6881:
      return "logical channel not supported";
    case 0x6882:
      return "secure messaging not supported";
    case 0x6982:
      return "security status not satisfied";
    case 0x6983:
      return "authentication method blocked";
    case 0x6984:
      return "referenced data blocked";
    case 0x6985:
      return "conditions of use not satisfied";
    case 0x6986:
      return "no current EF";
    case 0x6A82:
      return "file or application not found";
    case 0x6A83:
      return "record not found";
    case 0x6A86:
      return "incorrect P1-P2";
    case 0x6A88:
      return "referenced data not found";
    case 0x6B00:
      return "offset outside the file";
    case 0x6D00:
      return "instruction not supported";
    case 0x6E00:
      return "class not supported";
    default:
      return "unexpected status";
  }
}

}  // namespace zairyu::client
