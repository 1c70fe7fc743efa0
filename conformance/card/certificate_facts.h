// Facts about certificates and signatures a card-level scenario checks,
// computed with OpenSSL from DER bytes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace zairyu::conformance {

using Der = std::vector<std::uint8_t>;

// Subject and issuer in RFC 2253 form ("CN=...,O=JPKI-TEST,C=JP") and whether
// `certificate` carries a valid signature by `ca` and names it as issuer.
// Throws std::runtime_error when either is not a DER certificate.
struct CertificateFacts {
  std::string subject;
  std::string issuer;
  bool signed_by_ca = false;
};
CertificateFacts certificate_facts(const Der& certificate, const Der& ca);

// True when `signature` is an RSA PKCS#1 v1.5 SHA-256 signature of `message`
// by the key of `certificate`.
bool verify_sha256_signature(const Der& certificate, const std::string& message,
                             const Der& signature);

}  // namespace zairyu::conformance
