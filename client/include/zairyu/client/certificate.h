// Personal data in the JPKI signature certificate (a pure parser).
#pragma once

#include <optional>
#include <string>

#include "zairyu/client/bytes.h"

namespace zairyu::client {

// The subjectAltName otherName entries under 1.2.392.200149.8.5.5 (each
// [0] { type-id, [0] EXPLICIT string }), as MYNA-GO reads them. Values are
// kept as written: the encodings of gender and birth date (reportedly an era
// digit + YYYYMMDD) are not confirmed by public sources.
struct SignCertificatePersonalData {
  std::string name;                               // .1
  std::optional<std::string> name_substitute;     // .2 substitute characters of the name
  std::string gender;                             // .3
  std::string birth_date;                         // .4
  std::string address;                            // .5
  std::optional<std::string> address_substitute;  // .6 substitute characters of the address
};

// Parses a DER certificate (nothing may follow it) and returns its personal
// data. Entries .1, .3, .4 and .5 are required, none may repeat, every value
// must be a UTF8String or PrintableString of clean UTF-8. Throws
// CardProtocolError naming what is wrong (an auth certificate has no such
// entries). No I/O.
SignCertificatePersonalData parse_sign_certificate_personal_data(ByteView der);

}  // namespace zairyu::client
