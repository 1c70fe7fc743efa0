#include "emulator/online/certificate_check.h"

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <ctime>
#include <optional>

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

Check CheckKeyUsage(std::uint32_t usage, CertificateUse use) {
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
Check CheckValidity(const std::vector<std::shared_ptr<X509>>& chain, time_t at) {
  for (std::size_t i = 0; i < chain.size(); ++i) {
    X509* c = chain[i].get();
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

// The earliest revocation date of `cert` on a CRL of `issuer`, if any.
std::optional<time_t> RevokedAt(X509* cert, X509* issuer,
                                const std::vector<TrustAnchors::VerifiedCrl>& crls) {
  std::optional<time_t> earliest;
  for (const auto& verified : crls) {
    if (X509_cmp(verified.issuer.get(), issuer) != 0) continue;
    X509_REVOKED* entry = nullptr;
    if (X509_CRL_get0_by_cert(verified.crl.get(), &entry, cert) != 1) continue;
    std::tm tm{};
    if (ASN1_TIME_to_tm(X509_REVOKED_get0_revocationDate(entry), &tm) != 1) continue;
    const time_t when = timegm(&tm);
    if (!earliest || when < *earliest) earliest = when;
  }
  return earliest;
}

// Takes over the references of an OpenSSL certificate stack.
std::vector<std::shared_ptr<X509>> TakeChain(STACK_OF(X509) * stack) {
  std::vector<std::shared_ptr<X509>> chain;
  for (int i = 0; i < sk_X509_num(stack); ++i)
    chain.emplace_back(sk_X509_value(stack, i), X509_free);
  sk_X509_free(stack);
  return chain;
}

// RSA PKCS#1 v1.5 SHA-256 verification of `signature` with `cert`'s key.
Check VerifyWithCertificate(X509* cert, DerView data, DerView signature) {
  EVP_PKEY* key = X509_get0_pubkey(cert);
  EvpMdCtxPtr md(EVP_MD_CTX_new());
  const bool ok =
      key != nullptr && EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA && md &&
      EVP_DigestVerifyInit(md.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
      EVP_DigestVerify(md.get(), signature.data(), signature.size(), data.data(), data.size()) == 1;
  if (ok) return std::nullopt;
  ERR_clear_error();
  return Reject("RAS-CERT-006", "SIGNATURE_INVALID", ErrorCategory::kUnauthenticated,
                "the signature does not verify with the signature certificate");
}

}  // namespace

Result<TrustAnchors> TrustAnchors::Parse(const std::vector<DerView>& ca_certificates,
                                         const std::vector<DerView>& crls,
                                         std::size_t cache_capacity) {
  TrustAnchors anchors;
  anchors.store_.reset(X509_STORE_new(), X509_STORE_free);
  anchors.cache_ = std::make_shared<CertificateCache>(cache_capacity);
  anchors.crls_ = std::make_shared<CrlSet>();
  std::vector<std::shared_ptr<X509>>& cas = anchors.cas_;
  for (DerView der : ca_certificates) {
    X509Ptr ca = ParseCert(der);
    if (!ca) return Malformed("a CA certificate");
    for (const auto& other : cas) {
      if (X509_NAME_cmp(X509_get_subject_name(other.get()), X509_get_subject_name(ca.get())) == 0) {
        anchors.ambiguous_issuers_ = true;
      }
    }
    X509_STORE_add_cert(anchors.store_.get(), ca.get());  // the store takes its own reference
    cas.emplace_back(ca.release(), X509_free);
  }
  for (DerView der : crls) {
    X509CrlPtr crl = ParseCrl(der);
    if (!crl) return Malformed("a CRL");
    // Verified once here, not on every check: a CRL no CA signed is ignored.
    for (auto& verified : anchors.Verified({crl.release(), X509_CRL_free})) {
      anchors.crls_->crls.push_back(std::move(verified));
    }
  }
  anchors.crls_->parsed = anchors.crls_->crls.size();
  return anchors;
}

std::vector<TrustAnchors::VerifiedCrl> TrustAnchors::Verified(std::shared_ptr<X509_CRL> crl) const {
  std::vector<VerifiedCrl> out;
  for (const auto& ca : cas_) {
    EVP_PKEY* key = X509_get0_pubkey(ca.get());
    if (X509_NAME_cmp(X509_CRL_get_issuer(crl.get()), X509_get_subject_name(ca.get())) == 0 &&
        key != nullptr && X509_CRL_verify(crl.get(), key) == 1) {
      out.push_back({crl, ca});
    }
  }
  ERR_clear_error();
  return out;
}

std::vector<TrustAnchors::VerifiedCrl> TrustAnchors::Crls() const {
  const std::lock_guard lock(crls_->mu);
  return crls_->crls;
}

std::uint64_t TrustAnchors::CrlGeneration() const {
  const std::lock_guard lock(crls_->mu);
  return crls_->generation;
}

void TrustAnchors::CacheIfCurrent(const CertificateCache::Digest& digest,
                                  std::shared_ptr<const CertificateFacts> facts,
                                  std::uint64_t generation) const {
  const std::lock_guard lock(crls_->mu);
  if (generation == crls_->generation) cache_->Insert(digest, std::move(facts));
}

Check TrustAnchors::AddCrl(DerView der) {
  X509CrlPtr crl = ParseCrl(der);
  if (!crl) return Malformed("the CRL");
  auto verified = Verified({crl.release(), X509_CRL_free});
  if (verified.empty()) {
    return Reject("RAS-CERT-001", "CERTIFICATE_UNTRUSTED", ErrorCategory::kUnauthenticated,
                  "no trusted CA signed the CRL");
  }
  const std::lock_guard lock(crls_->mu);
  for (auto& v : verified) crls_->crls.push_back(std::move(v));
  ++crls_->generation;
  cache_->Clear();
  return std::nullopt;
}

void TrustAnchors::DropAddedCrls() {
  const std::lock_guard lock(crls_->mu);
  crls_->crls.resize(crls_->parsed);
  ++crls_->generation;
  cache_->Clear();
}

Check CheckCertificate(const CertificateCheckInput& in) {
  X509Ptr cert = ParseCert(in.certificate);
  if (!cert) return Malformed("the certificate");
  auto anchors = TrustAnchors::Parse(in.ca_certificates, in.crls);
  if (!anchors.ok()) return anchors.rejection();
  return CheckCertificate(anchors.value(), in.certificate, in.use, in.at);
}

Result<std::shared_ptr<const CertificateFacts>> TrustAnchors::FactsOf(DerView certificate,
                                                                      time_t at) const {
  const auto digest = CertificateCache::DigestOf(certificate);
  if (!ambiguous_issuers_) {
    if (auto cached = cache_->Find(digest)) return cached;
  }
  const std::uint64_t generation = CrlGeneration();
  auto facts = std::make_shared<CertificateFacts>();
  X509Ptr cert = ParseCert(certificate);
  if (cert) {
    facts->key_usage = X509_get_key_usage(cert.get());
    X509StoreCtxPtr ctx(X509_STORE_CTX_new());
    std::vector<int> errors;
    if (!ctx || X509_STORE_CTX_init(ctx.get(), store_.get(), cert.get(), nullptr) != 1) {
      return Reject("RAS-CERT-001", "CERTIFICATE_UNTRUSTED", ErrorCategory::kUnauthenticated,
                    "the certificate could not be checked");
    }
    // Sets X509_V_FLAG_USE_CHECK_TIME: chain building prefers CAs valid at
    // `at` (matters only with ambiguous issuers, which are not cached).
    X509_STORE_CTX_set_time(ctx.get(), 0, at);
    X509_STORE_CTX_set_app_data(ctx.get(), &errors);
    X509_STORE_CTX_set_verify_cb(ctx.get(), CollectErrors);
    X509_verify_cert(ctx.get());
    ERR_clear_error();
    const auto chain_error = std::find_if_not(errors.begin(), errors.end(), IsTimeError);
    if (chain_error != errors.end()) {
      facts->chain_error =
          Reject("RAS-CERT-001", "CERTIFICATE_UNTRUSTED", ErrorCategory::kUnauthenticated,
                 std::string("the certificate does not chain to the JPKI CA: ") +
                     X509_verify_cert_error_string(*chain_error));
    } else {
      facts->chain = TakeChain(X509_STORE_CTX_get1_chain(ctx.get()));
      if (facts->chain.size() >= 2) {
        facts->revoked_at = RevokedAt(cert.get(), facts->chain[1].get(), Crls());
      }
    }
    facts->certificate.reset(cert.release(), X509_free);
  }
  if (!ambiguous_issuers_) CacheIfCurrent(digest, facts, generation);
  return std::shared_ptr<const CertificateFacts>(std::move(facts));
}

Check CheckCertificate(const TrustAnchors& anchors, DerView certificate, CertificateUse use,
                       Instant when) {
  const time_t at = std::chrono::system_clock::to_time_t(when);
  const auto learnt = anchors.FactsOf(certificate, at);
  if (!learnt.ok()) return learnt.rejection();
  const CertificateFacts& facts = *learnt.value();
  if (!facts.certificate) return Malformed("the certificate");
  if (facts.chain_error) return facts.chain_error;
  if (Check usage = CheckKeyUsage(facts.key_usage, use)) return usage;
  if (Check validity = CheckValidity(facts.chain, at)) return validity;
  if (facts.revoked_at && *facts.revoked_at <= at) {
    return Reject("RAS-CERT-004", "CERTIFICATE_REVOKED", ErrorCategory::kUnauthenticated,
                  "the certificate has been revoked");
  }
  return std::nullopt;
}

Check VerifySignature(DerView certificate, DerView data, DerView signature) {
  X509Ptr cert = ParseCert(certificate);
  if (!cert) return Malformed("the certificate");
  return VerifyWithCertificate(cert.get(), data, signature);
}

Check VerifySignature(const TrustAnchors& anchors, DerView certificate, DerView data,
                      DerView signature) {
  const auto cached = anchors.cache_->Find(CertificateCache::DigestOf(certificate));
  if (!cached) return VerifySignature(certificate, data, signature);
  if (!cached->certificate) return Malformed("the certificate");
  return VerifyWithCertificate(cached->certificate.get(), data, signature);
}

}  // namespace zairyu::online
