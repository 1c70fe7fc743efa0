#include "emulator/online/certificate_check.h"

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <algorithm>

#include "emulator/online/openssl_ptr.h"
#include "emulator/online/rule_catalog.h"

namespace zairyu::online {
namespace {

X509Ptr ParseCert(DerView der) {
  const unsigned char* p = der.data();
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (cert && p != der.data() + der.size()) cert.reset();  // trailing bytes
  if (!cert) ERR_clear_error();  // leave no parse errors on this thread's queue
  return cert;
}

X509CrlPtr ParseCrl(DerView der) {
  const unsigned char* p = der.data();
  X509CrlPtr crl(d2i_X509_CRL(nullptr, &p, static_cast<long>(der.size())));
  if (!crl) ERR_clear_error();
  return crl;
}

Rejection Malformed(std::string what) {
  return Reject("RAS-CERT-001", "CERTIFICATE_MALFORMED", ErrorCategory::kInvalidArgument,
                std::move(what) + " is not valid DER");
}

// Verify callback: records every error and lets verification go on; the
// caller sorts chain errors from time errors.
int CollectErrors(int ok, X509_STORE_CTX* ctx) {
  if (!ok) {
    auto* errors = static_cast<std::vector<int>*>(X509_STORE_CTX_get_app_data(ctx));
    errors->push_back(X509_STORE_CTX_get_error(ctx));
  }
  return 1;
}

bool IsTimeError(int e) {
  return e == X509_V_ERR_CERT_HAS_EXPIRED || e == X509_V_ERR_CERT_NOT_YET_VALID;
}

Check CheckKeyUsage(X509* cert, CertificateUse use) {
  const std::uint32_t usage = X509_get_key_usage(cert);
  const bool auth = use == CertificateUse::kAuthentication;
  const std::uint32_t needed = auth ? KU_DIGITAL_SIGNATURE : KU_NON_REPUDIATION;
  // X509_get_key_usage answers all-ones when the extension is absent.
  if (usage != UINT32_MAX && (usage & needed) != 0) return std::nullopt;
  return Reject("RAS-CERT-005", "CERTIFICATE_WRONG_KEY_USAGE", ErrorCategory::kInvalidArgument,
                auth ? "login needs the user-auth certificate (digitalSignature)"
                     : "signing needs the signature certificate (nonRepudiation)");
}

// RAS-CERT-002/003 over the whole chain. RFC 5280 validity: both notBefore
// and notAfter are inclusive (OpenSSL's own check treats the notAfter second
// as expired, so its time errors are ignored and this check decides).
Check CheckValidity(STACK_OF(X509) * chain, time_t at) {
  for (int i = 0; i < sk_X509_num(chain); ++i) {
    X509* c = sk_X509_value(chain, i);
    const char* which = i == 0 ? "the certificate" : "a CA certificate of its chain";
    if (ASN1_TIME_cmp_time_t(X509_get0_notAfter(c), at) < 0) {
      return Reject("RAS-CERT-002", "CERTIFICATE_EXPIRED", ErrorCategory::kUnauthenticated,
                    std::string(which) + " has expired");
    }
    if (ASN1_TIME_cmp_time_t(X509_get0_notBefore(c), at) > 0) {
      return Reject("RAS-CERT-003", "CERTIFICATE_NOT_YET_VALID", ErrorCategory::kUnauthenticated,
                    std::string(which) + " is not valid yet");
    }
  }
  return std::nullopt;
}

// Whether `cert` is on a CRL of `issuer` with a revocation date at or before `at`.
bool Revoked(X509* cert, X509* issuer, const std::vector<TrustAnchors::VerifiedCrl>& crls,
             time_t at) {
  for (const auto& verified : crls) {
    if (X509_cmp(verified.issuer.get(), issuer) != 0) continue;
    X509_REVOKED* entry = nullptr;
    if (X509_CRL_get0_by_cert(verified.crl.get(), &entry, cert) != 1) continue;
    if (X509_cmp_time(X509_REVOKED_get0_revocationDate(entry), &at) == -1) return true;
  }
  return false;
}

}  // namespace

Result<TrustAnchors> TrustAnchors::Parse(const std::vector<DerView>& ca_certificates,
                                         const std::vector<DerView>& crls) {
  TrustAnchors anchors;
  anchors.store_.reset(X509_STORE_new(), X509_STORE_free);
  std::vector<std::shared_ptr<X509>> cas;
  for (DerView der : ca_certificates) {
    X509Ptr ca = ParseCert(der);
    if (!ca) return Malformed("a CA certificate");
    X509_STORE_add_cert(anchors.store_.get(), ca.get());  // the store takes its own reference
    cas.emplace_back(ca.release(), X509_free);
  }
  for (DerView der : crls) {
    X509CrlPtr crl = ParseCrl(der);
    if (!crl) return Malformed("a CRL");
    std::shared_ptr<X509_CRL> shared(crl.release(), X509_CRL_free);
    // Verified once here, not on every check: a CRL no CA signed is ignored.
    for (const auto& ca : cas) {
      EVP_PKEY* key = X509_get0_pubkey(ca.get());
      if (X509_NAME_cmp(X509_CRL_get_issuer(shared.get()), X509_get_subject_name(ca.get())) == 0 &&
          key != nullptr && X509_CRL_verify(shared.get(), key) == 1) {
        anchors.crls_.push_back({shared, ca});
      }
    }
  }
  return anchors;
}

Check CheckCertificate(const CertificateCheckInput& in) {
  X509Ptr cert = ParseCert(in.certificate);
  if (!cert) return Malformed("the certificate");
  auto anchors = TrustAnchors::Parse(in.ca_certificates, in.crls);
  if (!anchors.ok()) return anchors.rejection();
  return CheckCertificate(anchors.value(), in.certificate, in.use, in.at);
}

Check CheckCertificate(const TrustAnchors& anchors, DerView certificate, CertificateUse use,
                       Instant when) {
  X509Ptr cert = ParseCert(certificate);
  if (!cert) return Malformed("the certificate");
  const time_t at = std::chrono::system_clock::to_time_t(when);
  X509StoreCtxPtr ctx(X509_STORE_CTX_new());
  std::vector<int> errors;
  if (!ctx || X509_STORE_CTX_init(ctx.get(), anchors.store_.get(), cert.get(), nullptr) != 1) {
    return Reject("RAS-CERT-001", "CERTIFICATE_UNTRUSTED", ErrorCategory::kUnauthenticated,
                  "the certificate could not be checked");
  }
  // Sets X509_V_FLAG_USE_CHECK_TIME: chain building prefers CAs valid at `at`.
  X509_STORE_CTX_set_time(ctx.get(), 0, at);
  X509_STORE_CTX_set_app_data(ctx.get(), &errors);
  X509_STORE_CTX_set_verify_cb(ctx.get(), CollectErrors);
  X509_verify_cert(ctx.get());

  const auto chain_error = std::find_if_not(errors.begin(), errors.end(), IsTimeError);
  if (chain_error != errors.end()) {
    return Reject("RAS-CERT-001", "CERTIFICATE_UNTRUSTED", ErrorCategory::kUnauthenticated,
                  std::string("the certificate does not chain to the JPKI CA: ") +
                      X509_verify_cert_error_string(*chain_error));
  }
  if (Check usage = CheckKeyUsage(cert.get(), use)) return usage;
  STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(ctx.get());
  if (Check validity = CheckValidity(chain, at)) return validity;
  if (sk_X509_num(chain) >= 2 && Revoked(cert.get(), sk_X509_value(chain, 1), anchors.crls_, at)) {
    return Reject("RAS-CERT-004", "CERTIFICATE_REVOKED", ErrorCategory::kUnauthenticated,
                  "the certificate has been revoked");
  }
  return std::nullopt;
}

Check VerifySignature(DerView certificate, DerView data, DerView signature) {
  X509Ptr cert = ParseCert(certificate);
  if (!cert) return Malformed("the certificate");
  EVP_PKEY* key = X509_get0_pubkey(cert.get());
  EvpMdCtxPtr md(EVP_MD_CTX_new());
  const bool ok =
      key != nullptr && EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA && md &&
      EVP_DigestVerifyInit(md.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
      EVP_DigestVerify(md.get(), signature.data(), signature.size(), data.data(), data.size()) == 1;
  if (ok) return std::nullopt;
  return Reject("RAS-CERT-006", "SIGNATURE_INVALID", ErrorCategory::kUnauthenticated,
                "the signature does not verify with the signature certificate");
}

}  // namespace zairyu::online
