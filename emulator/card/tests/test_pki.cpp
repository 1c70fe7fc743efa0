#include "emulator/card/tests/test_pki.h"

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include <stdexcept>

namespace zairyu::card::testing {
namespace {

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("OpenSSL test helper failed: ") + what);
}

TestKey make_key(const char* common_name) {
  TestKey out;
  EVP_PKEY* pkey = EVP_RSA_gen(2048);
  check(pkey != nullptr, "EVP_RSA_gen");
  out.key = std::shared_ptr<EVP_PKEY>(pkey, EVP_PKEY_free);

  BIO* bio = BIO_new(BIO_s_mem());
  check(PEM_write_bio_PrivateKey(bio, pkey, nullptr, nullptr, 0, nullptr, nullptr) == 1, "PEM");
  char* pem = nullptr;
  const long pem_len = BIO_get_mem_data(bio, &pem);
  out.private_key_pem.assign(pem, static_cast<std::size_t>(pem_len));
  BIO_free(bio);

  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert), 60L * 60 * 24 * 365);
  X509_set_pubkey(cert, pkey);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "C", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("JP"),
                             -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(common_name), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  check(X509_sign(cert, pkey, EVP_sha256()) > 0, "X509_sign");
  unsigned char* der = nullptr;
  const int der_len = i2d_X509(cert, &der);
  check(der_len > 0, "i2d_X509");
  out.certificate_der.assign(der, der + der_len);
  OPENSSL_free(der);
  X509_free(cert);
  return out;
}

}  // namespace

const TestPki& test_pki() {
  static const TestPki pki{make_key("auth"), make_key("sign"), make_key("auth CA"),
                           make_key("sign CA")};
  return pki;
}

CardProfile adult_profile() {
  const TestPki& pki = test_pki();
  CardProfile p;
  p.card_id = "test-card";
  p.auth_certificate_der = pki.auth.certificate_der;
  p.auth_ca_certificate_der = pki.auth_ca.certificate_der;
  p.auth_private_key_pem = pki.auth.private_key_pem;
  p.sign_certificate_der = pki.sign.certificate_der;
  p.sign_ca_certificate_der = pki.sign_ca.certificate_der;
  p.sign_private_key_pem = pki.sign.private_key_pem;
  p.auth_pin = "1234";
  p.sign_pin = "ABC123";
  p.my_number = "123456789012";
  p.basic_four = BasicFourInfo{"山田\u3000太郎", "東京都千代田区霞が関１－１－１", "19900102", '1'};
  p.input_helper_pin = "5678";
  return p;
}

CardProfile child_profile() {
  CardProfile p = adult_profile();
  p.sign_certificate_der.reset();
  p.sign_private_key_pem.reset();
  return p;
}

std::string tx(Card& card, std::string_view apdu_hex) {
  return to_hex(card.transmit(from_hex(apdu_hex)));
}

std::string sw_of(const Bytes& response) {
  if (response.size() < 2) return "<short>";
  return to_hex(ByteView(response).subspan(response.size() - 2));
}

bool verify_pkcs1(EVP_PKEY* key, const Bytes& digest_info, const Bytes& signature) {
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(key, nullptr);
  const bool ok = ctx != nullptr && EVP_PKEY_verify_init(ctx) == 1 &&
                  EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1 &&
                  EVP_PKEY_verify(ctx, signature.data(), signature.size(), digest_info.data(),
                                  digest_info.size()) == 1;
  EVP_PKEY_CTX_free(ctx);
  return ok;
}

Bytes sha256_digest_info(std::string_view message) {
  Bytes out = from_hex("30 31 30 0D 06 09 60 86 48 01 65 03 04 02 01 05 00 04 20");
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest);
  out.insert(out.end(), digest, digest + SHA256_DIGEST_LENGTH);
  return out;
}

}  // namespace zairyu::card::testing
