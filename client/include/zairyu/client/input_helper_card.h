// InputHelperCard: the card-face input-helper application (券面事項入力補助AP).
#pragma once

#include <string>

#include "zairyu/client/card_channel.h"
#include "zairyu/client/parsers.h"
#include "zairyu/client/pin.h"
#include "zairyu/client/secret_string.h"

namespace zairyu::client {

// Reads My Number and the basic four information after the AP's PIN
// (IEF 0011, 4 digits, 3 tries) is verified.
class InputHelperCard {
 public:
  explicit InputHelperCard(CardChannel& channel) : channel_(channel) {}

  // SELECT D3 92 10 00 31 00 01 01 04 08.
  void select();
  PinStatus pin_status();
  // Same refusal rule as JpkiCard::verify_pin.
  [[nodiscard]] VerifyResult verify_pin(const SecretString& pin, VerifyOptions options = {});
  // EF 0001, checked by parse_my_number_ef.
  std::string read_my_number();
  // EF 0002, checked by parse_basic_four_ef.
  BasicFour read_basic_four();

 private:
  CardChannel& channel_;
};

}  // namespace zairyu::client
