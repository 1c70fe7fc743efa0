// make_card_profile over the PKI that test_pki generated from the fixtures,
// and the basic-four formatting helpers.
#define BOOST_TEST_MODULE persona_card_profile_test
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <memory>
#include <string>

#include "emulator/persona/card_profile_builder.h"
#include "emulator/persona/cert_personal_data.h"
#include "emulator/persona/persona.h"
#include "emulator/persona/pki_directory.h"

namespace fs = std::filesystem;
using namespace zairyu::persona;
using zairyu::card::Bytes;

namespace {

const fs::path kPersonas = ZAIRYU_PERSONAS_DIR;
const PkiDirectory kPki{fs::path(ZAIRYU_PKI_DIR)};

// unique_ptr deleters for OpenSSL objects.
struct PkeyDeleter {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct X509Deleter {
  void operator()(X509* p) const { X509_free(p); }
};
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};

// Signs a message with the PEM key and verifies it with the certificate's
// public key: proves the profile's key belongs to the profile's certificate.
bool key_signs_for_certificate(const std::string& key_pem, const Bytes& cert_der) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size())), BIO_free);
  std::unique_ptr<EVP_PKEY, PkeyDeleter> key(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  const unsigned char* p = cert_der.data();
  std::unique_ptr<X509, X509Deleter> cert(
      d2i_X509(nullptr, &p, static_cast<long>(cert_der.size())));
  if (!key || !cert) return false;
  const std::string message = "zairyu-lab";
  std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> sign_ctx(EVP_MD_CTX_new());
  std::size_t sig_len = 0;
  if (EVP_DigestSignInit(sign_ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
      EVP_DigestSign(sign_ctx.get(), nullptr, &sig_len,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1) {
    return false;
  }
  std::vector<unsigned char> sig(sig_len);
  if (EVP_DigestSign(sign_ctx.get(), sig.data(), &sig_len,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1) {
    return false;
  }
  std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> verify_ctx(EVP_MD_CTX_new());
  EVP_PKEY* pub = X509_get0_pubkey(cert.get());
  return EVP_DigestVerifyInit(verify_ctx.get(), nullptr, EVP_sha256(), nullptr, pub) == 1 &&
         EVP_DigestVerify(verify_ctx.get(), sig.data(), sig_len,
                          reinterpret_cast<const unsigned char*>(message.data()),
                          message.size()) == 1;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(card_profile)

BOOST_AUTO_TEST_CASE(basic_four_name_splits_family_words) {
  BOOST_TEST(basic_four_name({"NGUYEN VAN AN", 1, {}}) == "NGUYEN\u3000VAN AN");
  BOOST_TEST(basic_four_name({"PEREZ GARCIA JUAN CARLOS", 2, {}}) ==
             "PEREZ GARCIA\u3000JUAN CARLOS");
  BOOST_TEST(basic_four_name({"AUNG", 1, {}}) == "AUNG");
  BOOST_TEST(basic_four_name({"王\u3000麗", 1, {}}) == "王\u3000麗");
}

BOOST_AUTO_TEST_CASE(fullwidth_digits) {
  BOOST_TEST(to_fullwidth_digits("町2丁目10番3-4号") == "町２丁目１０番３-４号");
  BOOST_TEST(to_fullwidth_digits("１丁目") == "１丁目");
  BOOST_TEST(to_fullwidth_digits("0123456789") == "０１２３４５６７８９");
}

BOOST_AUTO_TEST_CASE(fills_every_field_for_every_persona) {
  for (const Persona& p : load_persona_directory(kPersonas)) {
    BOOST_TEST_CONTEXT(p.id) {
      const auto profile = make_card_profile(p, kPki);
      BOOST_TEST(profile.card_id == p.id);
      BOOST_TEST(!profile.auth_certificate_der.empty());
      BOOST_TEST((profile.auth_ca_certificate_der ==
                  PkiDirectory::read_bytes(kPki.auth_ca_certificate())));
      BOOST_TEST((profile.sign_ca_certificate_der ==
                  PkiDirectory::read_bytes(kPki.sign_ca_certificate())));
      BOOST_TEST(
          key_signs_for_certificate(profile.auth_private_key_pem, profile.auth_certificate_der));
      BOOST_TEST(profile.sign_certificate_der.has_value() == p.certificates.sign.has_value());
      BOOST_TEST(profile.sign_private_key_pem.has_value() == p.certificates.sign.has_value());
      if (profile.sign_certificate_der) {
        BOOST_TEST(key_signs_for_certificate(*profile.sign_private_key_pem,
                                             *profile.sign_certificate_der));
        BOOST_TEST(!key_signs_for_certificate(*profile.sign_private_key_pem,
                                              profile.auth_certificate_der));
        // The certificate's personal data is the card's basic four information.
        const auto data = zairyu::jpki::parse_cert_personal_data(*profile.sign_certificate_der);
        BOOST_REQUIRE(data.has_value());
        BOOST_TEST(data->name == profile.basic_four.name);
        BOOST_TEST(data->address == profile.basic_four.address);
        BOOST_TEST(data->birth_date == profile.basic_four.birth_date);
      }
      BOOST_TEST(profile.auth_pin == p.pins.auth);
      BOOST_TEST(profile.sign_pin == p.pins.sign.value_or(""));
      BOOST_TEST(profile.input_helper_pin == p.pins.input_helper);
      BOOST_TEST(profile.my_number == p.my_number);
      BOOST_TEST(profile.basic_four.birth_date == compact_date(p.birth_date));
      BOOST_TEST(profile.basic_four.address.find_first_of("0123456789") == std::string::npos);
    }
  }
}

BOOST_AUTO_TEST_CASE(adult_valid_basic_four) {
  const Persona p = load_persona_file(kPersonas / "adult-valid.yaml");
  const auto profile = make_card_profile(p, kPki);
  BOOST_TEST(profile.basic_four.name == "NGUYEN\u3000VAN AN");
  BOOST_TEST(profile.basic_four.address == "東京都千代田区テスト町１丁目２番３号");
  BOOST_TEST(profile.basic_four.birth_date == "19940512");
  BOOST_TEST(profile.basic_four.sex == '1');
  BOOST_TEST(profile.my_number == "202401000110");
  BOOST_TEST(profile.sign_pin == "ABC123");
  BOOST_TEST(!profile.options.extended_length);
}

BOOST_AUTO_TEST_CASE(ascii_digits_become_fullwidth_and_child_has_no_sign) {
  const auto stay = make_card_profile(load_persona_file(kPersonas / "stay-3-months.yaml"), kPki);
  BOOST_TEST(stay.basic_four.address == "福岡県福岡市テスト区試験町２丁目３番４号");
  const auto parent =
      make_card_profile(load_persona_file(kPersonas / "parent-of-child.yaml"), kPki);
  BOOST_TEST(parent.basic_four.sex == '2');
  const auto child = make_card_profile(load_persona_file(kPersonas / "child-14.yaml"), kPki);
  BOOST_TEST(!child.sign_certificate_der.has_value());
  BOOST_TEST(!child.sign_private_key_pem.has_value());
  BOOST_TEST(child.sign_pin.empty());
}

BOOST_AUTO_TEST_CASE(stale_or_missing_files_are_errors) {
  Persona child = load_persona_file(kPersonas / "child-14.yaml");
  child.certificates.sign = child.certificates.auth;  // PKI has no sign cert for it
  child.pins.sign = "ABC123";
  BOOST_CHECK_THROW(make_card_profile(child, kPki), PkiDirectoryError);
  Persona ghost = load_persona_file(kPersonas / "adult-valid.yaml");
  ghost.id = "no-such-persona";
  BOOST_CHECK_THROW(make_card_profile(ghost, kPki), PkiDirectoryError);
}

BOOST_AUTO_TEST_SUITE_END()
