#include "conformance/card/certificate_facts.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <stdexcept>

namespace zairyu::conformance {
namespace {

using X509Ptr = std::unique_ptr<X509, decltype(&X509_free)>;

X509Ptr parse(const Der& der, const char* what) {
  const unsigned char* p = der.data();
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())), X509_free);
  if (cert == nullptr) throw std::runtime_error(std::string(what) + " is not a DER certificate");
  return cert;
}

std::string rfc2253(const X509_NAME* name) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

}  // namespace

CertificateFacts certificate_facts(const Der& certificate, const Der& ca) {
  const X509Ptr cert = parse(certificate, "certificate");
  const X509Ptr authority = parse(ca, "CA certificate");
  CertificateFacts facts;
  facts.subject = rfc2253(X509_get_subject_name(cert.get()));
  facts.issuer = rfc2253(X509_get_issuer_name(cert.get()));
  EVP_PKEY* ca_key = X509_get0_pubkey(authority.get());
  facts.signed_by_ca = ca_key != nullptr &&
                       X509_NAME_cmp(X509_get_issuer_name(cert.get()),
                                     X509_get_subject_name(authority.get())) == 0 &&
                       X509_verify(cert.get(), ca_key) == 1;
  return facts;
}

bool verify_sha256_signature(const Der& certificate, const std::string& message,
                             const Der& signature) {
  const X509Ptr cert = parse(certificate, "certificate");
  EVP_PKEY* key = X509_get0_pubkey(cert.get());
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (key == nullptr || ctx == nullptr ||
      EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1) {
    return false;
  }
  return EVP_DigestVerify(ctx.get(), signature.data(), signature.size(),
                          reinterpret_cast<const unsigned char*>(message.data()),
                          message.size()) == 1;
}

}  // namespace zairyu::conformance
