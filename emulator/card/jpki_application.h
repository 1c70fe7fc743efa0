// The JPKI application (公的個人認証AP): a file table built from the card profile.
#pragma once

#include "emulator/card/application.h"
#include "emulator/card/card_profile.h"

namespace zairyu::card {

// AID D3 92 F0 00 26 01 00 00 00 01. Files per domain notes section 2.
class JpkiApplication final : public Application {
 public:
  static const Bytes& kAid();
  // Throws std::invalid_argument for an unreadable key or a sign certificate
  // without a sign key (or the reverse).
  explicit JpkiApplication(const CardProfile& profile);
};

// EF 0006 of the JPKI-AP: "JPKIAPICCTOKEN2" padded with spaces to 160 bytes.
Bytes jpki_token_ef();
// A certificate EF body: the DER followed by FF filler up to a multiple of
// `size_multiple` bytes (no filler when it is 0 or 1).
Bytes certificate_ef(const Bytes& der, std::size_t size_multiple);

}  // namespace zairyu::card
