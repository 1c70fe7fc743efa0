// Reusable X.509 building blocks for test PKIs (OpenSSL 3 EVP/X509 APIs only):
// RSA keys, certificates from a declarative spec, v2 CRLs, DER/PEM output.
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <cstdint>
#include <ctime>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace zairyu::testpki {

// An OpenSSL call failed; the message carries OpenSSL's error queue.
class PkiError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// unique_ptr deleters for the OpenSSL objects this API hands out.
struct PkeyDeleter {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct X509Deleter {
  void operator()(X509* p) const { X509_free(p); }
};
struct X509CrlDeleter {
  void operator()(X509_CRL* p) const { X509_CRL_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;
using X509Ptr = std::unique_ptr<X509, X509Deleter>;
using X509CrlPtr = std::unique_ptr<X509_CRL, X509CrlDeleter>;

using Bytes = std::vector<std::uint8_t>;
// Distinguished name as ordered (attribute, UTF-8 value) pairs: {{"C", "JP"}, ...}.
using DistinguishedName = std::vector<std::pair<std::string, std::string>>;

// subjectAltName otherName: [0] { type-id, [0] EXPLICIT UTF8String value }.
struct OtherName {
  std::string oid;
  std::string utf8_value;
};

// Everything a certificate states besides its keys.
struct CertificateSpec {
  DistinguishedName subject;
  std::uint64_t serial = 1;
  std::time_t not_before = 0;
  std::time_t not_after = 0;
  bool is_ca = false;                        // BasicConstraints critical CA:TRUE when set
  std::string key_usage;                     // OpenSSL syntax, e.g. "critical,digitalSignature"
  std::vector<std::string> policies;         // certificatePolicies OIDs
  std::vector<OtherName> subject_alt_names;  // otherName entries, in order
};

// One CRL entry. reason_code is an RFC 5280 CRLReason; nullopt leaves the
// reasonCode extension out (RFC 5280 5.3.1 for "unspecified").
struct RevokedEntry {
  std::uint64_t serial = 0;
  std::time_t revoked_at = 0;
  std::optional<int> reason_code;
};

// Everything a CRL states besides its issuer.
struct CrlSpec {
  std::time_t this_update = 0;
  std::time_t next_update = 0;
  std::uint64_t crl_number = 1;
  std::vector<RevokedEntry> revoked;
};

PkeyPtr generate_rsa_key(unsigned bits = 2048);

// Certificate for `subject_key`, signed with sha256WithRSAEncryption by
// `issuer_key`; `issuer` null means self-signed. Adds SKI and AKI.
X509Ptr issue_certificate(const CertificateSpec& spec, EVP_PKEY* subject_key, X509* issuer,
                          EVP_PKEY* issuer_key);

// Version 2 CRL with authorityKeyIdentifier and cRLNumber, sha256WithRSA.
X509CrlPtr issue_crl(const CrlSpec& spec, X509* issuer, EVP_PKEY* issuer_key);

Bytes certificate_der(X509* cert);
std::string certificate_pem(X509* cert);
Bytes crl_der(X509_CRL* crl);
std::string private_key_pem(EVP_PKEY* key);  // unencrypted PKCS#8

X509Ptr parse_certificate_der(const Bytes& der);  // throws PkiError
X509CrlPtr parse_crl_der(const Bytes& der);       // throws PkiError

}  // namespace zairyu::testpki
