// Persona model: one test person (a foreign resident with a My Number Card),
// read from one YAML file. The format is documented in fixtures/personas/README.md.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/card/card_profile.h"

namespace zairyu::persona {

using Date = std::chrono::year_month_day;

// "2027-06-30" -> Date; nullopt unless exactly YYYY-MM-DD and a real calendar day.
std::optional<Date> parse_iso_date(std::string_view text);
// Date -> "2027-06-30".
std::string format_iso_date(const Date& date);

// A rejected persona. field_path() names the offending field ("pins.sign",
// "relatives[0].persona"); what() is "<field path>: <message>", prefixed with
// "<file name>: " when the error comes from a file.
class PersonaError : public std::runtime_error {
 public:
  PersonaError(std::string field_path, std::string message, std::string file = {});
  const std::string& field_path() const { return field_path_; }
  // The message without the field path.
  const std::string& message() const { return message_; }
  // File name (not path) of the persona, empty for parse_persona.
  const std::string& file() const { return file_; }

 private:
  std::string field_path_;
  std::string message_;
  std::string file_;
};

enum class Sex { kMale, kFemale, kNotApplicable };

// The name as on the residence card. `full` is Latin upper case for most
// foreigners ("NGUYEN VAN AN"); the first `family_words` space-separated words
// are the family name. A name that already contains U+3000 is kept as written.
struct PersonaName {
  std::string full;
  std::size_t family_words = 1;
  std::optional<std::string> alias;  // 通称 or kanji/kana form, informational only
};

// 在留期間: `length` as written ("3y", "1y3m", "6m", "90d") and its last day.
struct PeriodOfStay {
  std::string length;
  Date expires;
};

// Why a certificate was revoked, in domain terms. The PKI generator maps each
// to an RFC 5280 CRL reason code (documented in fixtures/personas/README.md).
enum class RevocationReason {
  kUnspecified,
  kAddressChange,
  kNameChange,
  kHolderRequest,
  kKeyCompromise,
  kReissued,
};

// A revocation: the day it took effect and why.
struct Revocation {
  Date date;
  RevocationReason reason = RevocationReason::kUnspecified;
};

// Validity window of one JPKI certificate, both days inclusive (JST).
struct CertificateWindow {
  Date not_before;
  Date not_after;
  std::optional<Revocation> revoked;
};

// The card's two JPKI certificates.
struct Certificates {
  CertificateWindow auth;
  std::optional<CertificateWindow> sign;  // absent: no signature cert (e.g. under 15)
};

// The card's PINs as issued.
struct Pins {
  std::string auth;                 // 4 digits
  std::optional<std::string> sign;  // 6-16 of A-Z0-9; present iff certificates.sign is
  std::string input_helper;         // 4 digits
};

// Starting retry counters for a fresh card state; nullopt means the maximum.
struct PinTriesLeft {
  std::optional<int> auth;          // 0..3
  std::optional<int> sign;          // 0..5
  std::optional<int> input_helper;  // 0..3
};

// The card itself: expiry, starting retry counters, emulation choices.
struct CardSettings {
  Date expires;
  PinTriesLeft pin_tries_left;
  card::CardOptions options;
};

// What THIS persona is to another persona (parent-of-child lists
// {persona: child-14, relation: parent}).
enum class Relation { kParent, kChild, kSpouse, kLegalRepresentative };

// A link to another persona of the same directory.
struct Relative {
  std::string persona;
  Relation relation = Relation::kParent;
};

// One person. Field meanings follow fixtures/personas/README.md.
struct Persona {
  std::string id;
  std::optional<std::string> description;
  PersonaName name;
  Sex sex = Sex::kNotApplicable;
  Date birth_date;
  std::string address;      // UTF-8, as on the residence record
  std::string nationality;  // ISO 3166-1 alpha-2
  std::string status_of_residence;
  std::optional<PeriodOfStay> period_of_stay;  // absent for 永住者 and other unlimited stays
  std::string residence_card_number;
  std::string my_number;
  std::string email;
  Pins pins;
  CardSettings card;
  Certificates certificates;
  std::vector<Relative> relatives;
};

// Parses one persona document. Pure: no I/O. Throws PersonaError (and nothing
// else) for every malformed or invalid input.
Persona parse_persona(std::string_view yaml_text);
// Reads and parses <path>; the file name must be "<id>.yaml". PersonaError
// carries the file name; field_path() stays the bare path.
Persona load_persona_file(const std::filesystem::path& path);
// Every "*.yaml" file in `dir`, sorted by id. Also checks that every
// relatives[].persona names a persona of the directory.
std::vector<Persona> load_persona_directory(const std::filesystem::path& dir);

// Check digit of the Individual Number (番号法施行令 第8条 and the ministerial
// ordinance it delegates the formula to) for the first 11 digits: weights
// 6,5,4,3,2,7,6,5,4,3,2 from the left; 11 - (sum mod 11), or 0 when the
// remainder is 0 or 1. Throws std::invalid_argument unless `first11` is 11
// ASCII digits.
int my_number_check_digit(std::string_view first11);
// 12 ASCII digits with a correct check digit.
bool is_valid_my_number(std::string_view my_number);

// The 在留資格 for which no period of stay exists (永住者, 高度専門職2号, 特別永住者).
bool is_unlimited_status(std::string_view status_of_residence);

}  // namespace zairyu::persona
