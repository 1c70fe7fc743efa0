// Checks of My Number Card (JPKI) certificates at the virtual time: chain to
// the (test) JPKI CA, validity, revocation by CRL, key usage, and the RSA
// signature over submitted data. OpenSSL does the cryptography; no I/O.
#pragma once

#include <openssl/types.h>

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "emulator/online/clock.h"
#include "emulator/online/rejection.h"

namespace zairyu::online {

using DerView = std::span<const std::uint8_t>;

// Which card certificate is presented: the user-auth certificate (利用者証明用)
// for login and registration, the signature certificate (署名用) for signing.
enum class CertificateUse { kAuthentication, kSignature };

struct CertificateCheckInput {
  DerView certificate;                   // the card's certificate, DER
  std::vector<DerView> ca_certificates;  // trusted CA certificates, DER (roots self-signed)
  std::vector<DerView> crls;             // CRLs, DER
  CertificateUse use = CertificateUse::kAuthentication;
  Instant at;  // the virtual time
};

// Rules in this order, the first failure wins:
//   RAS-CERT-001 CERTIFICATE_MALFORMED / CERTIFICATE_UNTRUSTED (chain),
//   RAS-CERT-005 CERTIFICATE_WRONG_KEY_USAGE (auth: digitalSignature; sign:
//                nonRepudiation; a certificate without keyUsage is refused),
//   RAS-CERT-002 CERTIFICATE_EXPIRED, RAS-CERT-003 CERTIFICATE_NOT_YET_VALID
//                (of the certificate or of a CA in its chain; notBefore and
//                notAfter both inclusive, as RFC 5280 says),
//   RAS-CERT-004 CERTIFICATE_REVOKED: listed on a CRL of its issuer, signed by
//                that issuer, with a revocation date at or before `at`. CRL
//                thisUpdate/nextUpdate are not enforced (the emulator always
//                uses the newest CRL it was given); no CRL for the issuer
//                means "not revoked".
Check CheckCertificate(const CertificateCheckInput& input);

// The trusted CA certificates and CRLs, parsed once so a server does not
// decode its PKI on every login and submission. Immutable once made; one
// instance may serve concurrent checks (OpenSSL stores are thread-safe for
// verification).
class TrustAnchors {
 public:
  // A CRL whose signature verified, once at Parse, with the CA that issued it.
  struct VerifiedCrl {
    std::shared_ptr<X509_CRL> crl;
    std::shared_ptr<X509> issuer;
  };

  // RAS-CERT-001 CERTIFICATE_MALFORMED when a CA certificate or CRL is not DER.
  static Result<TrustAnchors> Parse(const std::vector<DerView>& ca_certificates,
                                    const std::vector<DerView>& crls);

 private:
  friend Check CheckCertificate(const TrustAnchors&, DerView, CertificateUse, Instant);
  std::shared_ptr<X509_STORE> store_;
  std::vector<VerifiedCrl> crls_;  // CRLs no CA here signed are left out
};

// The same checks as above against anchors parsed beforehand.
Check CheckCertificate(const TrustAnchors& anchors, DerView certificate, CertificateUse use,
                       Instant at);

// RAS-CERT-006: `signature` is an RSA PKCS#1 v1.5 SHA-256 signature over
// `data` by the key of `certificate` (DER). SIGNATURE_INVALID otherwise.
Check VerifySignature(DerView certificate, DerView data, DerView signature);

}  // namespace zairyu::online
