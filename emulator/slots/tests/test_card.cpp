#include "emulator/slots/tests/test_card.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <stdexcept>

namespace zairyu::slots::testing {
namespace {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

void require(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test identity: ") + what);
}

TestIdentity generate() {
  PkeyPtr key(EVP_RSA_gen(2048));
  require(key != nullptr, "EVP_RSA_gen");

  X509Ptr cert(X509_new());
  require(cert != nullptr, "X509_new");
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 60L * 60 * 24 * 365);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("zairyu slot test"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  X509_set_pubkey(cert.get(), key.get());
  require(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0, "X509_sign");

  TestIdentity out;
  unsigned char* der = nullptr;
  const int der_length = i2d_X509(cert.get(), &der);
  require(der_length > 0, "i2d_X509");
  out.certificate_der.assign(der, der + der_length);
  OPENSSL_free(der);

  BioPtr bio(BIO_new(BIO_s_mem()));
  require(
      PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1,
      "PEM_write_bio_PrivateKey");
  char* pem = nullptr;
  const long pem_length = BIO_get_mem_data(bio.get(), &pem);
  out.private_key_pem.assign(pem, static_cast<std::size_t>(pem_length));
  return out;
}

}  // namespace

const TestIdentity& test_identity() {
  static const TestIdentity identity = generate();
  return identity;
}

card::CardProfile test_profile() {
  const TestIdentity& id = test_identity();
  card::CardProfile p;
  p.card_id = "slot-test";
  p.auth_certificate_der = id.certificate_der;
  p.auth_ca_certificate_der = id.certificate_der;
  p.auth_private_key_pem = id.private_key_pem;
  p.sign_certificate_der = id.certificate_der;
  p.sign_ca_certificate_der = id.certificate_der;
  p.sign_private_key_pem = id.private_key_pem;
  p.auth_pin = kAuthPin;
  p.sign_pin = kSignPin;
  p.my_number = "123456789018";
  p.basic_four = {"試験\u3000太郎", "東京都千代田区霞が関１－１－１", "19900101", '1'};
  p.input_helper_pin = kInputHelperPin;
  return p;
}

std::shared_ptr<card::Card> make_test_card() {
  return std::make_shared<card::Card>(test_profile(),
                                      std::make_shared<card::MemoryCardStateStore>(),
                                      std::make_shared<card::SeededRandomSource>(1));
}

}  // namespace zairyu::slots::testing
