// Byte encodings of the card-face input-helper AP's EFs (private-class BER-TLV).
// Pure functions, byte-exact with the layouts in the domain notes (section 7).
#pragma once

#include <string_view>

#include "emulator/card/bytes.h"
#include "emulator/card/card_profile.h"

namespace zairyu::card {

// Appends a BER length: short form up to 127, else 81 xx / 82 xx xx / 83 xx xx xx.
void append_ber_length(Bytes& out, std::size_t length);

// EF 0001: FF 10 0C <12 ASCII digits> FF FF (17 bytes for a 12-digit number).
Bytes encode_my_number_ef(std::string_view my_number);

// EF 0002: FF 20 L { DF21 08 <offsets>, DF22 name, DF23 address, DF24 birth, DF25 sex }.
// The DF21 table holds the big-endian file offsets of the DF22..DF25 tags;
// they account for long-form lengths of FF20 and of the fields.
Bytes encode_basic_four_ef(const BasicFourInfo& info);

}  // namespace zairyu::card
