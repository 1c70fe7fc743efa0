#include "zairyu/client/input_helper_card.h"

#include <array>

#include "iso_ops.h"

namespace zairyu::client {

namespace {
constexpr std::array<std::uint8_t, 10> kInputHelperAid{0xD3, 0x92, 0x10, 0x00, 0x31,
                                                       0x00, 0x01, 0x01, 0x04, 0x08};
constexpr std::string_view kAppName = "input-helper AP";
constexpr std::string_view kPinName = "input-helper PIN (0011)";
// EF 0002 holds a name and an address; 4 KiB is far above any real record.
constexpr std::size_t kMaxBasicFourSize = std::size_t{4} * 1024;
}  // namespace

void InputHelperCard::select() { detail::select_application(channel_, kInputHelperAid, kAppName); }

PinStatus InputHelperCard::pin_status() {
  detail::ensure_application(channel_, kInputHelperAid, kAppName);
  detail::select_ef(channel_, 0x0011, kPinName);
  return detail::query_pin_status(channel_, kPinName);
}

VerifyResult InputHelperCard::verify_pin(const SecretString& pin, VerifyOptions options) {
  const detail::PinBytes data = detail::four_digit_pin(pin.reveal(), "input-helper PIN");
  detail::ensure_application(channel_, kInputHelperAid, kAppName);
  detail::select_ef(channel_, 0x0011, kPinName);
  return detail::verify_current_pin(channel_, data.bytes, options, kPinName);
}

std::string InputHelperCard::read_my_number() {
  detail::ensure_application(channel_, kInputHelperAid, kAppName);
  detail::select_ef(channel_, 0x0001, "EF 0001 (My Number)");
  return parse_my_number_ef(detail::read_ber_object(channel_, 64, "EF 0001 (My Number)"));
}

BasicFour InputHelperCard::read_basic_four() {
  detail::ensure_application(channel_, kInputHelperAid, kAppName);
  detail::select_ef(channel_, 0x0002, "EF 0002 (basic four)");
  return parse_basic_four_ef(
      detail::read_ber_object(channel_, kMaxBasicFourSize, "EF 0002 (basic four)"));
}

}  // namespace zairyu::client
