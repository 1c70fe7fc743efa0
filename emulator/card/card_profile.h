// CardProfile: everything a virtual My Number Card is personalized with.
// Pure data; emulator/persona builds it from a persona file and the test PKI.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "emulator/card/bytes.h"

namespace zairyu::card {

// Behaviour choices where public sources disagree or are silent. Defaults are
// what the real card most plausibly does (see emulator/card/README.md).
struct CardOptions {
  // Answer to an empty VERIFY right after a correct PIN: 63 Cx (hamano, OpenSC
  // PR #959) when false, 90 00 ("some cards", myna-card) when true.
  bool empty_verify_after_success_answers_9000 = false;
  // Leaving the application (SELECT of another DF) clears its security state.
  // ISO-typical; not confirmed for this card.
  bool clear_security_on_df_change = true;
  // Extended-length READ BINARY (Le = 00 00 00 / 65536). No source shows the
  // real card doing it; off answers 67 00 like a short-only card.
  bool extended_length = false;
  // Status word for READ BINARY at an offset past the end of file: 6B 00
  // (JICSAP 6.4.1(4), myna-card) or 62 82 when set.
  bool eof_answers_6282 = false;
  // Certificate EFs hold the DER followed by FF filler (as on the real card,
  // myna-card) up to a multiple of this many bytes; 0 or 1 means no filler.
  std::size_t certificate_ef_size_multiple = 256;
};

// The card-face input-helper application's "basic four information".
struct BasicFourInfo {
  std::string name;        // UTF-8, family and given name separated by U+3000
  std::string address;     // UTF-8
  std::string birth_date;  // 8 ASCII digits, YYYYMMDD (Gregorian)
  char sex = '9';          // '1' male, '2' female, '9' not applicable (ISO 5218)
};

// Personalization of one card.
struct CardProfile {
  std::string card_id;  // stable name, used for the state file
  // JPKI-AP
  Bytes auth_certificate_der;                       // EF 000A
  Bytes auth_ca_certificate_der;                    // EF 000B
  std::string auth_private_key_pem;                 // IEF 0017 (RSA-2048)
  std::optional<Bytes> sign_certificate_der;        // EF 0001; absent for a child under 15
  Bytes sign_ca_certificate_der;                    // EF 0002
  std::optional<std::string> sign_private_key_pem;  // IEF 001A
  std::string auth_pin;                             // IEF 0018: 4 digits, 3 tries
  std::string sign_pin;  // IEF 001B: 6-16 of A-Z0-9, 5 tries (unused without a sign key)
  // Card-face input-helper AP
  std::string my_number;         // 12 digits (EF 0001, FF10)
  BasicFourInfo basic_four;      // EF 0002 (FF20)
  std::string input_helper_pin;  // IEF 0011: 4 digits, 3 tries
  CardOptions options;
};

}  // namespace zairyu::card
