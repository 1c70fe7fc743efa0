// A JPKI-like TEST PKI generated from personas: two self-signed CAs (user
// authentication, digital signature), per-persona certificates and v2 CRLs,
// written in the layout persona::PkiDirectory reads. Choices where the real
// J-LIS profile is unknown are listed in fixtures/personas/README.md.
#pragma once

#include <cstdint>
#include <ctime>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/persona/persona.h"
#include "tools/pki/x509_builder.h"

namespace zairyu::testpki {

inline constexpr std::string_view kAuthPolicyOid = "1.2.392.200149.8.5.1.3.30";
inline constexpr std::string_view kSignPolicyOid = "1.2.392.200149.8.5.1.1.20";

// CRL thisUpdate when --now is not given.
inline constexpr persona::Date kDefaultNow{std::chrono::year{2026}, std::chrono::January,
                                           std::chrono::day{1}};

DistinguishedName auth_ca_subject();
DistinguishedName sign_ca_subject();

// 00:00:00 and 23:59:59 JST (UTC+9) of a day, as time_t.
std::time_t jst_start_of_day(const persona::Date& date);
std::time_t jst_end_of_day(const persona::Date& date);

// Positive, non-zero 63-bit serial number derived from `label` with SHA-256,
// so reruns give the same serials ("auth:<id>", "sign:<id>", "auth-ca", ...).
std::uint64_t derived_serial(std::string_view label);
// 20 upper-case hex digits derived from `label`: the serial-like subject CN.
std::string derived_common_name(std::string_view label);

// RFC 5280 CRLReason for a persona revocation: address/name change ->
// affiliationChanged (3), holder request -> cessationOfOperation (5), key
// compromise -> keyCompromise (1), reissued -> superseded (4), unspecified ->
// nullopt (no reasonCode extension).
std::optional<int> crl_reason_code(persona::RevocationReason reason);

// SAN gender code: '1' male, '2' female, '3' unknown (for not_applicable).
char san_gender(persona::Sex sex);

// The personal-data otherName entries of the persona's signature certificate,
// in the order real certificates show them: .1, .4, .3, .5, .2, .6.
std::vector<OtherName> personal_data_entries(const persona::Persona& persona);

// Writes the whole PKI for `personas` under `out` (created if needed). CRLs
// have thisUpdate = `now` 00:00 JST, nextUpdate 10 years later, and list the
// revocations dated on or before `now`. A persona without a signature
// certificate gets no sign.* files (stale ones are removed).
void generate_test_pki(const std::vector<persona::Persona>& personas,
                       const std::filesystem::path& out, const persona::Date& now);

}  // namespace zairyu::testpki
