#include "emulator/online/tests/test_pki.h"

#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include <stdexcept>

namespace zairyu::online::test {
namespace {

// 1024-bit keys keep key generation fast; the checks do not depend on size
// (OpenSSL's default security level 1 still accepts them).
constexpr unsigned kTestKeyBits = 1024;

void Require(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test PKI: ") + what);
}

Der ToDer(X509* cert) {
  const int n = i2d_X509(cert, nullptr);
  Require(n > 0, "i2d_X509");
  Der der(static_cast<std::size_t>(n));
  unsigned char* p = der.data();
  i2d_X509(cert, &p);
  return der;
}

time_t T(Instant t) { return std::chrono::system_clock::to_time_t(t); }

void AddExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  Require(ext != nullptr, "extension");
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

// Key pair and unsigned certificate; `issuer` null = self-issued.
TestIdentity Make(const std::string& cn, long serial, Instant nb, Instant na, X509* issuer) {
  TestIdentity id;
  id.key.reset(EVP_RSA_gen(kTestKeyBits));
  Require(id.key != nullptr, "EVP_RSA_gen");
  id.cert.reset(X509_new());
  X509* c = id.cert.get();
  X509_set_version(c, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(c), serial);
  X509_NAME* name = X509_get_subject_name(c);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(c, issuer != nullptr ? X509_get_subject_name(issuer) : name);
  ASN1_TIME_set(X509_getm_notBefore(c), T(nb));
  ASN1_TIME_set(X509_getm_notAfter(c), T(na));
  X509_set_pubkey(c, id.key.get());
  return id;
}

void SignCert(TestIdentity& id, EVP_PKEY* signer) {
  Require(X509_sign(id.cert.get(), signer, EVP_sha256()) > 0, "X509_sign");
  id.der = ToDer(id.cert.get());
}

}  // namespace

TestIdentity MakeCa(const std::string& name, Instant not_before, Instant not_after) {
  TestIdentity ca = Make(name, 1, not_before, not_after, nullptr);
  AddExtension(ca.cert.get(), ca.cert.get(), NID_basic_constraints, "critical,CA:TRUE");
  AddExtension(ca.cert.get(), ca.cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
  SignCert(ca, ca.key.get());
  return ca;
}

TestIdentity MakeLeaf(const TestIdentity& ca, long serial, Instant not_before, Instant not_after,
                      const std::string& key_usage) {
  TestIdentity leaf =
      Make("leaf " + std::to_string(serial), serial, not_before, not_after, ca.cert.get());
  if (!key_usage.empty()) {
    AddExtension(leaf.cert.get(), ca.cert.get(), NID_key_usage, key_usage);
  }
  SignCert(leaf, ca.key.get());
  return leaf;
}

Der MakeCrl(const TestIdentity& ca, long serial, Instant revoked_at, Instant this_update) {
  X509CrlPtr crl(X509_CRL_new());
  X509_CRL_set_version(crl.get(), 1);
  X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(ca.cert.get()));
  ASN1_TIME* last = ASN1_TIME_set(nullptr, T(this_update));
  ASN1_TIME* next = ASN1_TIME_set(nullptr, T(this_update + std::chrono::hours{24 * 7}));
  X509_CRL_set1_lastUpdate(crl.get(), last);
  X509_CRL_set1_nextUpdate(crl.get(), next);
  ASN1_TIME_free(last);
  ASN1_TIME_free(next);
  X509_REVOKED* entry = X509_REVOKED_new();
  ASN1_INTEGER* sn = ASN1_INTEGER_new();
  ASN1_INTEGER_set(sn, serial);
  X509_REVOKED_set_serialNumber(entry, sn);
  ASN1_INTEGER_free(sn);
  ASN1_TIME* when = ASN1_TIME_set(nullptr, T(revoked_at));
  X509_REVOKED_set_revocationDate(entry, when);
  ASN1_TIME_free(when);
  X509_CRL_add0_revoked(crl.get(), entry);
  X509_CRL_sort(crl.get());
  Require(X509_CRL_sign(crl.get(), ca.key.get(), EVP_sha256()) > 0, "X509_CRL_sign");
  const int n = i2d_X509_CRL(crl.get(), nullptr);
  Der der(static_cast<std::size_t>(n));
  unsigned char* p = der.data();
  i2d_X509_CRL(crl.get(), &p);
  return der;
}

Der Sign(const TestIdentity& who, const std::string& data) {
  EvpMdCtxPtr md(EVP_MD_CTX_new());
  Require(EVP_DigestSignInit(md.get(), nullptr, EVP_sha256(), nullptr, who.key.get()) == 1,
          "EVP_DigestSignInit");
  std::size_t len = 0;
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  EVP_DigestSign(md.get(), nullptr, &len, bytes, data.size());
  Der sig(len);
  Require(EVP_DigestSign(md.get(), sig.data(), &len, bytes, data.size()) == 1, "EVP_DigestSign");
  sig.resize(len);
  return sig;
}

}  // namespace zairyu::online::test
