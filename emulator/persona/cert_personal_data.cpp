// Parser for the JPKI personal-data subjectAltName entries (see header).
#include "emulator/persona/cert_personal_data.h"

#include "emulator/persona/clean_utf8.h"

#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <array>
#include <memory>

namespace zairyu::jpki {
namespace {

// unique_ptr deleters for OpenSSL objects.
struct X509Deleter {
  void operator()(X509* p) const { X509_free(p); }
};
struct GeneralNamesDeleter {
  void operator()(GENERAL_NAMES* p) const { GENERAL_NAMES_free(p); }
};

bool all_digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string object_text(const ASN1_OBJECT* obj) {
  std::array<char, 128> buf{};
  const int n = OBJ_obj2txt(buf.data(), static_cast<int>(buf.size()), obj, 1);
  if (n <= 0 || static_cast<std::size_t>(n) >= buf.size()) return {};
  return std::string(buf.data(), static_cast<std::size_t>(n));
}

bool valid_date(std::string_view yyyymmdd) {
  if (yyyymmdd.size() != 8 || !all_digits(yyyymmdd)) return false;
  const int month = (yyyymmdd[4] - '0') * 10 + (yyyymmdd[5] - '0');
  const int day = (yyyymmdd[6] - '0') * 10 + (yyyymmdd[7] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

bool valid_flags(const std::string& flags, const std::string& text) {
  const auto length = clean_utf8_length(text);
  return length && flags.size() == *length &&
         std::all_of(flags.begin(), flags.end(), [](char c) { return c == '0' || c == '1'; });
}

}  // namespace

char era_digit(int year, unsigned month, unsigned day) {
  const long key = static_cast<long>(year) * 10000 + month * 100 + day;
  if (key < 18680125) return '0';
  if (key < 19120730) return '1';
  if (key < 19261225) return '2';
  if (key < 19890108) return '3';
  if (key < 20190501) return '4';
  return '5';
}

std::string encode_birth_date(std::string_view yyyymmdd) {
  if (!valid_date(yyyymmdd)) throw CertPersonalDataError("birth date must be YYYYMMDD");
  const auto num = [&](std::size_t pos, std::size_t len) {
    int v = 0;
    for (std::size_t i = pos; i < pos + len; ++i) v = v * 10 + (yyyymmdd[i] - '0');
    return v;
  };
  const char era =
      era_digit(num(0, 4), static_cast<unsigned>(num(4, 2)), static_cast<unsigned>(num(6, 2)));
  return std::string(1, era) + std::string(yyyymmdd);
}

std::optional<CertPersonalData> parse_cert_personal_data(std::span<const std::uint8_t> der) {
  if (der.empty() || der.size() > 1024 * 1024) {
    throw CertPersonalDataError("certificate: empty or larger than 1 MiB");
  }
  const unsigned char* p = der.data();
  std::unique_ptr<X509, X509Deleter> cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!cert) throw CertPersonalDataError("certificate: not DER X.509");
  if (p != der.data() + der.size()) {
    throw CertPersonalDataError("certificate: trailing bytes after the certificate");
  }
  int critical = 0;
  std::unique_ptr<GENERAL_NAMES, GeneralNamesDeleter> names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(cert.get(), NID_subject_alt_name, &critical, nullptr)));
  if (!names) {
    // -1: no SAN at all; -2: more than one SAN; otherwise a SAN that does not decode.
    if (critical == -1) return std::nullopt;
    throw CertPersonalDataError("subjectAltName: duplicated or malformed");
  }

  // Values by the last OID arc (1..6); index 0 unused.
  std::array<std::optional<std::string>, 7> values;
  bool any = false;
  const std::string arc_prefix = std::string(kPersonalDataArc) + ".";
  for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* gen = sk_GENERAL_NAME_value(names.get(), i);
    if (gen->type != GEN_OTHERNAME) continue;
    const std::string oid = object_text(gen->d.otherName->type_id);
    if (!oid.starts_with(arc_prefix)) continue;
    const std::string_view last = std::string_view(oid).substr(arc_prefix.size());
    // Entries beyond .6 would be a newer profile: skipped, not rejected.
    if (last.size() != 1 || last[0] < '1' || last[0] > '6') continue;
    any = true;
    const ASN1_TYPE* value = gen->d.otherName->value;
    if (value == nullptr || value->type != V_ASN1_UTF8STRING) {
      throw CertPersonalDataError("subjectAltName " + oid + ": value is not a UTF8String");
    }
    const ASN1_STRING* str = value->value.utf8string;
    std::string text(reinterpret_cast<const char*>(ASN1_STRING_get0_data(str)),
                     static_cast<std::size_t>(ASN1_STRING_length(str)));
    if (!clean_utf8_length(text)) {
      throw CertPersonalDataError("subjectAltName " + oid + ": not clean UTF-8");
    }
    auto& slot = values[static_cast<std::size_t>(last[0] - '0')];
    if (slot) throw CertPersonalDataError("subjectAltName " + oid + ": appears twice");
    slot = std::move(text);
  }
  if (!any) return std::nullopt;

  const auto required = [&](std::size_t index, const char* what) -> const std::string& {
    if (!values[index] || values[index]->empty()) {
      throw CertPersonalDataError(std::string("subjectAltName: ") + what + " missing or empty");
    }
    return *values[index];
  };
  CertPersonalData data;
  data.name = required(1, "name (.1)");
  const std::string& gender = required(3, "gender (.3)");
  if (gender.size() != 1 || gender[0] < '1' || gender[0] > '3') {
    throw CertPersonalDataError("subjectAltName gender (.3): must be 1, 2 or 3");
  }
  data.gender = gender[0];
  const std::string& birth = required(4, "date of birth (.4)");
  if (birth.size() != 9 || birth[0] < '0' || birth[0] > '5' ||
      !valid_date(std::string_view(birth).substr(1))) {
    throw CertPersonalDataError("subjectAltName date of birth (.4): must be era digit + YYYYMMDD");
  }
  data.birth_era = birth[0];
  data.birth_date = birth.substr(1);
  if (data.birth_era != '0' && encode_birth_date(data.birth_date)[0] != data.birth_era) {
    throw CertPersonalDataError("subjectAltName date of birth (.4): era digit does not match date");
  }
  data.address = required(5, "address (.5)");
  if (values[2]) {
    if (!valid_flags(*values[2], data.name)) {
      throw CertPersonalDataError("subjectAltName (.2): one 0/1 flag per name character");
    }
    data.name_substitute_flags = values[2];
  }
  if (values[6]) {
    if (!valid_flags(*values[6], data.address)) {
      throw CertPersonalDataError("subjectAltName (.6): one 0/1 flag per address character");
    }
    data.address_substitute_flags = values[6];
  }
  return data;
}

}  // namespace zairyu::jpki
