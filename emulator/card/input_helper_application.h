// The card-face input-helper application (券面事項入力補助AP): a file table
// built from the card profile.
#pragma once

#include "emulator/card/application.h"
#include "emulator/card/card_profile.h"

namespace zairyu::card {

// AID D3 92 10 00 31 00 01 01 04 08. Files per domain notes section 7; only
// 0001 (My Number), 0002 (basic four information) and the PIN 0011 are emulated.
class InputHelperApplication final : public Application {
 public:
  static const Bytes& kAid();
  explicit InputHelperApplication(const CardProfile& profile);
};

}  // namespace zairyu::card
