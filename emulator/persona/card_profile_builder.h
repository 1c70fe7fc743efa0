// Builds a card::CardProfile from a persona and the generated test PKI.
#pragma once

#include <string>
#include <string_view>

#include "emulator/card/card_profile.h"
#include "emulator/persona/persona.h"
#include "emulator/persona/pki_directory.h"

namespace zairyu::persona {

// The name as the card's basic four information and the signature
// certificate carry it: the family words, U+3000, the remaining words
// ("NGUYEN VAN AN" -> "NGUYEN\u3000VAN AN"). A one-word name or a name that
// already contains U+3000 is returned unchanged. Latin letters stay half-width.
std::string basic_four_name(const PersonaName& name);

// ASCII digits 0-9 -> full-width U+FF10..U+FF19; everything else unchanged.
std::string to_fullwidth_digits(std::string_view text);

// Address as the card and certificate carry it: to_fullwidth_digits(address).
std::string basic_four_address(const Persona& persona);

// Date -> "YYYYMMDD".
std::string compact_date(const Date& date);

// '1' male, '2' female, '9' not applicable (ISO 5218, card input-helper AP).
char basic_four_sex(Sex sex);

// Fills every CardProfile field from the persona and pki's files for it.
// Throws PkiDirectoryError when a file is missing, when the persona has a
// signature certificate but pki has none, or when a key does not match its
// certificate (a stale PKI directory).
card::CardProfile make_card_profile(const Persona& persona, const PkiDirectory& pki);

}  // namespace zairyu::persona
