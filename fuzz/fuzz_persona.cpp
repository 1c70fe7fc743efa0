// fuzz_persona: the strict persona YAML parser (emulator/persona/persona.h).
//
// parse_persona is documented to throw PersonaError and nothing else for any
// input; anything else escaping (a yaml-cpp exception, std::out_of_range, ...)
// aborts. An accepted persona must satisfy the format rules the parser claims
// to enforce (PIN formats, sign password iff a signature certificate, a valid
// My Number, windows in order). parse_iso_date is fuzzed on the same bytes:
// what it accepts must print back to exactly the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "emulator/persona/persona.h"

namespace {

namespace persona = zairyu::persona;

[[noreturn]] void fail() { std::abort(); }
void check(bool ok) {
  if (!ok) fail();
}

bool digits(const std::string& s, std::size_t n) {
  if (s.size() != n) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool sign_password(const std::string& s) {
  if (s.size() < 6 || s.size() > 16) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))) return false;
  }
  return true;
}

void check_persona(const persona::Persona& p) {
  check(!p.id.empty());
  check(digits(p.pins.auth, 4) && digits(p.pins.input_helper, 4));
  check(p.pins.sign.has_value() == p.certificates.sign.has_value());
  if (p.pins.sign) check(sign_password(*p.pins.sign));
  check(persona::is_valid_my_number(p.my_number));
  check(p.certificates.auth.not_before <= p.certificates.auth.not_after);
  if (p.certificates.sign) check(p.certificates.sign->not_before <= p.certificates.sign->not_after);
  check(p.birth_date.ok() && p.card.expires.ok());
  const auto& t = p.card.pin_tries_left;
  if (t.auth) check(*t.auth >= 0 && *t.auth <= 3);
  if (t.sign) check(*t.sign >= 0 && *t.sign <= 5);
  if (t.input_helper) check(*t.input_helper >= 0 && *t.input_helper <= 3);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  if (size <= 16) {
    if (const auto date = persona::parse_iso_date(text)) {
      check(date->ok());
      check(persona::format_iso_date(*date) == text);
    }
  }

  try {
    check_persona(persona::parse_persona(text));
  } catch (const persona::PersonaError& e) {
    check(!e.field_path().empty());
  }
  // Any other exception escapes to libFuzzer, which reports it as a crash.
  return 0;
}
