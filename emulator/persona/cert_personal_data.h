// Personal data ("basic four information") of a JPKI signature certificate:
// subjectAltName otherName entries under 1.2.392.200149.8.5.5. Self-contained
// (OpenSSL only, no other project headers) so the client engine can reuse it.
//
// Encoding, as written by tools/pki and as public sources describe real cards:
//   .1 name     UTF-8, family and given name separated by U+3000
//   .2 flags    one '0'/'1' per name character: 1 = substitute character
//   .3 gender   "1" male, "2" female, "3" unknown (J-LIS coding, not ISO 5218)
//   .4 birth    era digit + Gregorian YYYYMMDD, e.g. "419900102"; era digit
//               1 明治, 2 大正, 3 昭和, 4 平成, 5 令和, 0 unknown
//   .5 address  UTF-8
//   .6 flags    one '0'/'1' per address character
// each as GeneralName otherName: [0] { OID, [0] EXPLICIT UTF8String }.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

namespace zairyu::jpki {

inline constexpr std::string_view kPersonalDataArc = "1.2.392.200149.8.5.5";
inline constexpr std::string_view kOidName = "1.2.392.200149.8.5.5.1";
inline constexpr std::string_view kOidNameSubstitute = "1.2.392.200149.8.5.5.2";
inline constexpr std::string_view kOidGender = "1.2.392.200149.8.5.5.3";
inline constexpr std::string_view kOidDateOfBirth = "1.2.392.200149.8.5.5.4";
inline constexpr std::string_view kOidAddress = "1.2.392.200149.8.5.5.5";
inline constexpr std::string_view kOidAddressSubstitute = "1.2.392.200149.8.5.5.6";

// Decoded personal data of one signature certificate.
struct CertPersonalData {
  std::string name;                                     // UTF-8
  char gender = '3';                                    // '1', '2' or '3'
  char birth_era = '0';                                 // '0'..'5'
  std::string birth_date;                               // 8 ASCII digits, YYYYMMDD (Gregorian)
  std::string address;                                  // UTF-8
  std::optional<std::string> name_substitute_flags;     // .2 when present
  std::optional<std::string> address_substitute_flags;  // .6 when present
};

// The certificate is not DER X.509, or its personal data is malformed.
class CertPersonalDataError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Reads the personal data of a DER certificate. nullopt when the certificate
// carries no entry under the arc (a user-authentication certificate). Throws
// CertPersonalDataError when the DER is not one certificate, when .1/.3/.4/.5
// are not all present exactly once, or when a value breaks the format above.
// Pure function over bytes; safe on any input.
std::optional<CertPersonalData> parse_cert_personal_data(std::span<const std::uint8_t> der);

// Era digit for a Gregorian date: '1' 明治 (to 1912-07-29), '2' 大正 (to
// 1926-12-24), '3' 昭和 (to 1989-01-07), '4' 平成 (to 2019-04-30), '5' 令和;
// '0' before 1868-01-25 (明治 start, Gregorian) where the scheme has no era.
char era_digit(int year, unsigned month, unsigned day);

// "19900102" -> "419900102". `yyyymmdd` must be 8 digits.
std::string encode_birth_date(std::string_view yyyymmdd);

}  // namespace zairyu::jpki
