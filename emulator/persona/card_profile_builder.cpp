// make_card_profile and the basic-four formatting rules (README: "Card data").
#include "emulator/persona/card_profile_builder.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

#include <fmt/format.h>

namespace zairyu::persona {
namespace {

// unique_ptr deleters for OpenSSL objects.
struct BioDeleter {
  void operator()(BIO* p) const { BIO_free(p); }
};
struct X509Deleter {
  void operator()(X509* p) const { X509_free(p); }
};
struct PkeyDeleter {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};

// Throws unless `key_pem` is the private key of the DER certificate `cert_der`.
void check_key_matches(const card::Bytes& cert_der, const std::string& key_pem,
                       const std::string& what) {
  const unsigned char* p = cert_der.data();
  std::unique_ptr<X509, X509Deleter> cert(
      d2i_X509(nullptr, &p, static_cast<long>(cert_der.size())));
  if (!cert) throw PkiDirectoryError(what + ": certificate is not DER X.509");
  std::unique_ptr<BIO, BioDeleter> bio(
      BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size())));
  std::unique_ptr<EVP_PKEY, PkeyDeleter> key(
      bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!key) throw PkiDirectoryError(what + ": private key is not PEM");
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    throw PkiDirectoryError(what + ": private key does not match the certificate");
  }
}

}  // namespace

std::string basic_four_name(const PersonaName& name) {
  constexpr std::string_view kIdeographicSpace = "\u3000";
  if (name.full.find(kIdeographicSpace) != std::string::npos) return name.full;
  std::size_t pos = 0;
  for (std::size_t i = 0; i < name.family_words; ++i) {
    pos = name.full.find(' ', pos);
    if (pos == std::string::npos) return name.full;
    if (i + 1 < name.family_words) ++pos;
  }
  return name.full.substr(0, pos) + std::string(kIdeographicSpace) + name.full.substr(pos + 1);
}

std::string to_fullwidth_digits(std::string_view text) {
  std::string out;
  out.reserve(text.size() * 3);
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      // U+FF10 + n is EF BC 90+n in UTF-8.
      out += "\xEF\xBC";
      out += static_cast<char>(0x90 + (c - '0'));
    } else {
      out += c;
    }
  }
  return out;
}

std::string basic_four_address(const Persona& persona) {
  return to_fullwidth_digits(persona.address);
}

std::string compact_date(const Date& date) {
  return fmt::format("{:04}{:02}{:02}", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
}

char basic_four_sex(Sex sex) {
  switch (sex) {
    case Sex::kMale:
      return '1';
    case Sex::kFemale:
      return '2';
    case Sex::kNotApplicable:
      return '9';
  }
  return '9';
}

card::CardProfile make_card_profile(const Persona& persona, const PkiDirectory& pki) {
  card::CardProfile profile;
  profile.card_id = persona.id;

  profile.auth_certificate_der = PkiDirectory::read_bytes(pki.auth_certificate(persona.id));
  profile.auth_ca_certificate_der = PkiDirectory::read_bytes(pki.auth_ca_certificate());
  profile.auth_private_key_pem = PkiDirectory::read_text(pki.auth_key(persona.id));
  check_key_matches(profile.auth_certificate_der, profile.auth_private_key_pem,
                    pki.auth_certificate(persona.id).string());

  profile.sign_ca_certificate_der = PkiDirectory::read_bytes(pki.sign_ca_certificate());
  if (persona.certificates.sign) {
    profile.sign_certificate_der = PkiDirectory::read_bytes(pki.sign_certificate(persona.id));
    profile.sign_private_key_pem = PkiDirectory::read_text(pki.sign_key(persona.id));
    check_key_matches(*profile.sign_certificate_der, *profile.sign_private_key_pem,
                      pki.sign_certificate(persona.id).string());
  }

  profile.auth_pin = persona.pins.auth;
  profile.sign_pin = persona.pins.sign.value_or("");
  profile.my_number = persona.my_number;
  profile.basic_four.name = basic_four_name(persona.name);
  profile.basic_four.address = basic_four_address(persona);
  profile.basic_four.birth_date = compact_date(persona.birth_date);
  profile.basic_four.sex = basic_four_sex(persona.sex);
  profile.input_helper_pin = persona.pins.input_helper;
  profile.options = persona.card.options;
  return profile;
}

}  // namespace zairyu::persona
