// JPKI-like test PKI generator (see header and fixtures/personas/README.md).
#include "tools/pki/jpki_test_pki.h"

#include <openssl/evp.h>

#include <array>
#include <fstream>

#include <fmt/format.h>

#include "emulator/persona/card_profile_builder.h"
#include "emulator/persona/cert_personal_data.h"
#include "emulator/persona/pki_directory.h"

namespace zairyu::testpki {
namespace {

namespace fs = std::filesystem;
using persona::Date;
using persona::Persona;

constexpr std::string_view kCaOu = "zairyu-lab test CA - not for real use";
constexpr Date kCaNotBefore{std::chrono::year{2020}, std::chrono::January, std::chrono::day{1}};
constexpr Date kCaNotAfter{std::chrono::year{2040}, std::chrono::December, std::chrono::day{31}};

std::array<unsigned char, 32> sha256(std::string_view text) {
  std::array<unsigned char, 32> digest{};
  unsigned int size = 0;
  if (EVP_Digest(text.data(), text.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1) {
    throw PkiError("EVP_Digest(SHA-256) failed");
  }
  return digest;
}

void write_file(const fs::path& path, std::string_view data, bool secret) {
  fs::create_directories(path.parent_path());
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    if (!out) throw PkiError(path.string() + ": cannot write");
  }
  if (secret) fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
}

void write_file(const fs::path& path, const Bytes& data) {
  write_file(path, std::string_view(reinterpret_cast<const char*>(data.data()), data.size()),
             false);
}

// One CA: its key, certificate and the CRL entries collected for it.
struct Authority {
  PkeyPtr key;
  X509Ptr cert;
  std::vector<RevokedEntry> revoked;
};

Authority make_ca(const DistinguishedName& subject, std::string_view label) {
  Authority ca;
  ca.key = generate_rsa_key();
  CertificateSpec spec;
  spec.subject = subject;
  spec.serial = derived_serial(label);
  spec.not_before = jst_start_of_day(kCaNotBefore);
  spec.not_after = jst_end_of_day(kCaNotAfter);
  spec.is_ca = true;
  spec.key_usage = "critical,keyCertSign,cRLSign";
  ca.cert = issue_certificate(spec, ca.key.get(), nullptr, ca.key.get());
  return ca;
}

// Issues one end-entity certificate, writes it and its key, and records a
// revocation that is already effective at `now`.
void issue_end_entity(Authority& ca, CertificateSpec spec, const persona::CertificateWindow& window,
                      const Date& now, const fs::path& cert_path, const fs::path& key_path) {
  spec.not_before = jst_start_of_day(window.not_before);
  spec.not_after = jst_end_of_day(window.not_after);
  PkeyPtr key = generate_rsa_key();
  X509Ptr cert = issue_certificate(spec, key.get(), ca.cert.get(), ca.key.get());
  write_file(cert_path, certificate_der(cert.get()));
  write_file(key_path, private_key_pem(key.get()), true);
  if (window.revoked && window.revoked->date <= now) {
    ca.revoked.push_back(RevokedEntry{spec.serial, jst_start_of_day(window.revoked->date),
                                      crl_reason_code(window.revoked->reason)});
  }
}

void write_ca(const Authority& ca, const fs::path& der, const fs::path& pem, const fs::path& key) {
  write_file(der, certificate_der(ca.cert.get()));
  write_file(pem, certificate_pem(ca.cert.get()), false);
  write_file(key, private_key_pem(ca.key.get()), true);
}

void write_crl(const Authority& ca, const Date& now, const fs::path& path) {
  CrlSpec spec;
  spec.this_update = jst_start_of_day(now);
  spec.next_update = spec.this_update + std::time_t{3650} * 24 * 60 * 60;
  spec.crl_number = std::stoull(persona::compact_date(now));  // grows with --now
  spec.revoked = ca.revoked;
  X509CrlPtr crl = issue_crl(spec, ca.cert.get(), ca.key.get());
  write_file(path, crl_der(crl.get()));
}

}  // namespace

DistinguishedName auth_ca_subject() {
  return {{"C", "JP"},
          {"O", "JPKI-TEST"},
          {"OU", "JPKI-TEST for user authentication"},
          {"OU", std::string(kCaOu)}};
}

DistinguishedName sign_ca_subject() {
  return {{"C", "JP"},
          {"O", "JPKI-TEST"},
          {"OU", "JPKI-TEST for digital signature"},
          {"OU", std::string(kCaOu)}};
}

std::time_t jst_start_of_day(const Date& date) {
  const auto utc = std::chrono::sys_days(date) - std::chrono::hours(9);
  return std::chrono::system_clock::to_time_t(utc);
}

std::time_t jst_end_of_day(const Date& date) { return jst_start_of_day(date) + 24 * 60 * 60 - 1; }

std::uint64_t derived_serial(std::string_view label) {
  const auto digest = sha256(fmt::format("zairyu-lab serial:{}", label));
  std::uint64_t serial = 0;
  for (std::size_t i = 0; i < 8; ++i) serial = (serial << 8) | digest[i];
  serial &= 0x7FFF'FFFF'FFFF'FFFFULL;
  return serial == 0 ? 1 : serial;
}

std::string derived_common_name(std::string_view label) {
  const auto digest = sha256(fmt::format("zairyu-lab cn:{}", label));
  std::string cn;
  for (std::size_t i = 0; i < 10; ++i) cn += fmt::format("{:02X}", digest[i]);
  return cn;
}

std::optional<int> crl_reason_code(persona::RevocationReason reason) {
  using persona::RevocationReason;
  switch (reason) {
    case RevocationReason::kUnspecified:
      return std::nullopt;
    case RevocationReason::kKeyCompromise:
      return 1;
    case RevocationReason::kAddressChange:
    case RevocationReason::kNameChange:
      return 3;
    case RevocationReason::kReissued:
      return 4;
    case RevocationReason::kHolderRequest:
      return 5;
  }
  return std::nullopt;
}

char san_gender(persona::Sex sex) {
  switch (sex) {
    case persona::Sex::kMale:
      return '1';
    case persona::Sex::kFemale:
      return '2';
    case persona::Sex::kNotApplicable:
      return '3';
  }
  return '3';
}

std::vector<OtherName> personal_data_entries(const Persona& p) {
  const std::string name = persona::basic_four_name(p.name);
  const std::string address = persona::basic_four_address(p);
  // One '0' (not a substitute character) per code point.
  const auto flags = [](const std::string& text) {
    std::string out;
    for (char c : text) {
      if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) out += '0';
    }
    return out;
  };
  return {
      {std::string(jpki::kOidName), name},
      {std::string(jpki::kOidDateOfBirth),
       jpki::encode_birth_date(persona::compact_date(p.birth_date))},
      {std::string(jpki::kOidGender), std::string(1, san_gender(p.sex))},
      {std::string(jpki::kOidAddress), address},
      {std::string(jpki::kOidNameSubstitute), flags(name)},
      {std::string(jpki::kOidAddressSubstitute), flags(address)},
  };
}

void generate_test_pki(const std::vector<Persona>& personas, const fs::path& out, const Date& now) {
  const persona::PkiDirectory dir(out);
  Authority auth_ca = make_ca(auth_ca_subject(), "auth-ca");
  Authority sign_ca = make_ca(sign_ca_subject(), "sign-ca");
  write_ca(auth_ca, dir.auth_ca_certificate(), dir.auth_ca_certificate_pem(), dir.auth_ca_key());
  write_ca(sign_ca, dir.sign_ca_certificate(), dir.sign_ca_certificate_pem(), dir.sign_ca_key());

  for (const Persona& p : personas) {
    CertificateSpec auth;
    auth.subject = {{"C", "JP"}, {"CN", derived_common_name("auth:" + p.id)}};
    auth.serial = derived_serial("auth:" + p.id);
    auth.key_usage = "critical,digitalSignature";
    auth.policies = {std::string(kAuthPolicyOid)};
    issue_end_entity(auth_ca, auth, p.certificates.auth, now, dir.auth_certificate(p.id),
                     dir.auth_key(p.id));

    if (p.certificates.sign) {
      CertificateSpec sign;
      sign.subject = {{"C", "JP"}, {"CN", derived_common_name("sign:" + p.id)}};
      sign.serial = derived_serial("sign:" + p.id);
      sign.key_usage = "critical,digitalSignature,nonRepudiation";
      sign.policies = {std::string(kSignPolicyOid)};
      sign.subject_alt_names = personal_data_entries(p);
      issue_end_entity(sign_ca, sign, *p.certificates.sign, now, dir.sign_certificate(p.id),
                       dir.sign_key(p.id));
    } else {
      fs::remove(dir.sign_certificate(p.id));
      fs::remove(dir.sign_key(p.id));
    }
  }
  write_crl(auth_ca, now, dir.auth_crl());
  write_crl(sign_ca, now, dir.sign_crl());
}

}  // namespace zairyu::testpki
