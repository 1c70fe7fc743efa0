// Checks of My Number Card (JPKI) certificates at the virtual time: chain to
// the (test) JPKI CA, validity, revocation by CRL, key usage, and the RSA
// signature over submitted data. OpenSSL does the cryptography; no I/O.
#pragma once

#include <openssl/types.h>

#include <cstddef>
#include <cstdint>
#include <ctime>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include "emulator/online/certificate_cache.h"
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
// decode its PKI on every login and submission, and a CertificateCache of
// the certificates checked against them (so a card's certificate is parsed,
// chain-verified and looked up on the CRLs once, while its validity is
// compared with the virtual time on every check). The anchors themselves are
// immutable once made; copies share one cache; one instance may serve
// concurrent checks (OpenSSL stores are thread-safe for verification, the
// cache locks). CRLs can be added later (AddCrl, the emulator revoking a
// certificate); copies share those too.
class TrustAnchors {
 public:
  // How many certificates the cache keeps (a few KiB each).
  static constexpr std::size_t kCacheCapacity = 1024;

  // A CRL whose signature verified, once at Parse, with the CA that issued it.
  struct VerifiedCrl {
    std::shared_ptr<X509_CRL> crl;
    std::shared_ptr<X509> issuer;
  };

  // RAS-CERT-001 CERTIFICATE_MALFORMED when a CA certificate or CRL is not DER.
  static Result<TrustAnchors> Parse(const std::vector<DerView>& ca_certificates,
                                    const std::vector<DerView>& crls,
                                    std::size_t cache_capacity = kCacheCapacity);

  // How many certificates the cache holds now.
  std::size_t cached_certificates() const { return cache_->size(); }

  // Adds a CRL (DER) signed by one of the CAs; the cache is emptied, so
  // later checks see its revocations. RAS-CERT-001 CERTIFICATE_MALFORMED
  // when it is not DER, CERTIFICATE_UNTRUSTED when no CA here signed it.
  Check AddCrl(DerView crl);
  // Back to the CRLs given to Parse (and an empty cache).
  void DropAddedCrls();

 private:
  friend Check CheckCertificate(const TrustAnchors&, DerView, CertificateUse, Instant);
  friend Check VerifySignature(const TrustAnchors&, DerView, DerView, DerView);
  // The facts about `certificate`, from the cache or learnt (chain building
  // at `at`) and cached; a rejection when the check itself failed.
  Result<std::shared_ptr<const CertificateFacts>> FactsOf(DerView certificate, time_t at) const;

  // The CRLs given to Parse (the first `parsed`) and those added since.
  struct CrlSet {
    std::mutex mu;
    std::vector<VerifiedCrl> crls;  // CRLs no CA here signed are left out
    std::size_t parsed = 0;
    std::uint64_t generation = 0;  // bumped with every change of `crls`
  };
  // The CRLs of `crls_` now.
  std::vector<VerifiedCrl> Crls() const;
  std::uint64_t CrlGeneration() const;
  // Caches `facts` unless the CRLs changed since `generation`: facts learnt
  // from the old CRLs while AddCrl emptied the cache must not come back.
  void CacheIfCurrent(const CertificateCache::Digest& digest,
                      std::shared_ptr<const CertificateFacts> facts,
                      std::uint64_t generation) const;
  // `crl` with each CA that signed it.
  std::vector<VerifiedCrl> Verified(std::shared_ptr<X509_CRL> crl) const;

  std::shared_ptr<X509_STORE> store_;
  std::vector<std::shared_ptr<X509>> cas_;
  std::shared_ptr<CrlSet> crls_;
  std::shared_ptr<CertificateCache> cache_;
  // Two CAs share a subject name (a CA key rollover): which one a chain uses
  // depends on the time it is built at, so chains are not cached.
  bool ambiguous_issuers_ = false;
};

// The same checks as above against anchors parsed beforehand.
Check CheckCertificate(const TrustAnchors& anchors, DerView certificate, CertificateUse use,
                       Instant at);

// RAS-CERT-006: `signature` is an RSA PKCS#1 v1.5 SHA-256 signature over
// `data` by the key of `certificate` (DER). SIGNATURE_INVALID otherwise.
Check VerifySignature(DerView certificate, DerView data, DerView signature);

// The same, with the certificate parsed once through the anchors' cache.
Check VerifySignature(const TrustAnchors& anchors, DerView certificate, DerView data,
                      DerView signature);

}  // namespace zairyu::online
