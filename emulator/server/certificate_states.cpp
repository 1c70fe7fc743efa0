#include "emulator/server/certificate_states.h"

#include <openssl/pem.h>

#include <chrono>
#include <stdexcept>

#include "emulator/online/openssl_ptr.h"
#include "emulator/persona/pki_directory.h"
#include "tools/pki/jpki_test_pki.h"
#include "tools/pki/x509_builder.h"

namespace zairyu::server {
namespace {

using persona::PkiDirectory;
using std::chrono::days;

constexpr days kFiveYears{5 * 365};

using Asn1IntegerPtr = std::unique_ptr<ASN1_INTEGER, online::OpenSslDeleter<ASN1_INTEGER_free>>;
using Asn1TimePtr = std::unique_ptr<ASN1_TIME, online::OpenSslDeleter<ASN1_TIME_free>>;
using BioPtr = std::unique_ptr<BIO, online::OpenSslDeleter<BIO_free>>;

testpki::X509Ptr parse_certificate(const card::Bytes& der) {
  const unsigned char* p = der.data();
  testpki::X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!cert) throw std::runtime_error("a test-PKI certificate does not parse");
  return cert;
}

testpki::PkeyPtr read_key(const std::filesystem::path& path) {
  const std::string pem = PkiDirectory::read_text(path);
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  testpki::PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) throw std::runtime_error(path.string() + ": not a private key");
  return key;
}

// The issuing CA's certificate and key.
struct Issuer {
  testpki::X509Ptr certificate;
  testpki::PkeyPtr key;
};

Issuer issuer_of(const PkiDirectory& pki, CertificateKind kind) {
  const bool auth = kind == CertificateKind::kAuth;
  return {parse_certificate(PkiDirectory::read_bytes(auth ? pki.auth_ca_certificate()
                                                          : pki.sign_ca_certificate())),
          read_key(auth ? pki.auth_ca_key() : pki.sign_ca_key())};
}

std::time_t seconds(online::Instant t) { return t.time_since_epoch().count(); }

online::Instant instant_of(const ASN1_TIME* t) {
  std::tm tm{};
  if (ASN1_TIME_to_tm(t, &tm) != 1) throw std::runtime_error("a certificate time does not parse");
  return online::Instant(std::chrono::seconds(timegm(&tm)));
}

const char* kind_name(CertificateKind kind) {
  return kind == CertificateKind::kAuth ? "auth" : "sign";
}

}  // namespace

CertificateStates::CertificateStates(std::filesystem::path pki_dir)
    : pki_dir_(std::move(pki_dir)) {}

std::optional<ReissuedCertificate> CertificateStates::set(const std::string& persona_id,
                                                          CertificateKind kind,
                                                          CertificateState state,
                                                          online::Instant now) {
  const std::lock_guard lock(mu_);
  const auto key = std::make_pair(persona_id, kind);
  if (const auto old = reissued_.find(key); old != reissued_.end()) {
    originals_.erase(old->second);
    reissued_.erase(old);
  }
  if (state == CertificateState::kValid) return std::nullopt;

  const PkiDirectory pki(pki_dir_);
  const card::Bytes original =
      PkiDirectory::read_bytes(kind == CertificateKind::kAuth ? pki.auth_certificate(persona_id)
                                                              : pki.sign_certificate(persona_id));
  const Issuer issuer = issuer_of(pki, kind);
  testpki::X509Ptr cert = parse_certificate(original);

  ReissuedCertificate out;
  out.serial = testpki::derived_serial(std::string("reissued:") + kind_name(kind) + ":" +
                                       persona_id + ":" + std::to_string(++issued_));
  out.not_before = instant_of(X509_get0_notBefore(cert.get()));
  out.not_after = instant_of(X509_get0_notAfter(cert.get()));
  if (state == CertificateState::kExpired) {
    out.not_after = now - days{1};
    out.not_before = out.not_after - kFiveYears;
  } else if (state == CertificateState::kNotYetValid) {
    out.not_before = now + days{1};
    out.not_after = out.not_before + kFiveYears;
  }
  Asn1IntegerPtr serial(ASN1_INTEGER_new());
  Asn1TimePtr not_before(ASN1_TIME_set(nullptr, seconds(out.not_before)));
  Asn1TimePtr not_after(ASN1_TIME_set(nullptr, seconds(out.not_after)));
  if (!serial || !not_before || !not_after ||
      ASN1_INTEGER_set_uint64(serial.get(), out.serial) != 1 ||
      X509_set_serialNumber(cert.get(), serial.get()) != 1 ||
      X509_set1_notBefore(cert.get(), not_before.get()) != 1 ||
      X509_set1_notAfter(cert.get(), not_after.get()) != 1 ||
      X509_sign(cert.get(), issuer.key.get(), EVP_sha256()) <= 0) {
    throw testpki::PkiError("re-issuing the " + std::string(kind_name(kind)) + " certificate of " +
                            persona_id + " failed");
  }
  out.certificate = testpki::certificate_der(cert.get());

  if (state == CertificateState::kRevoked) {
    auto& revoked = revoked_[kind];
    revoked.push_back({out.serial, now});
    testpki::CrlSpec spec;
    spec.this_update = seconds(now);
    spec.next_update = seconds(now + kFiveYears);
    // Above the generator's YYYYMMDD numbers, growing with each revocation.
    spec.crl_number = 100'000'000 + revoked.size();
    for (const Revocation& r : revoked) {
      // affiliationChanged (3): the address change of online-system.md §6.
      spec.revoked.push_back({r.serial, seconds(r.at), 3});
    }
    const testpki::X509CrlPtr crl =
        testpki::issue_crl(spec, issuer.certificate.get(), issuer.key.get());
    out.crl = testpki::crl_der(crl.get());
  }
  reissued_[key] = out.certificate;
  originals_[out.certificate] = original;
  return out;
}

void CertificateStates::apply(const std::string& persona_id, card::CardProfile& profile) const {
  const std::lock_guard lock(mu_);
  if (const auto it = reissued_.find({persona_id, CertificateKind::kAuth}); it != reissued_.end()) {
    profile.auth_certificate_der = it->second;
  }
  if (const auto it = reissued_.find({persona_id, CertificateKind::kSign}); it != reissued_.end()) {
    profile.sign_certificate_der = it->second;
  }
}

std::optional<card::Bytes> CertificateStates::original_of(card::ByteView certificate) const {
  const std::lock_guard lock(mu_);
  const auto it = originals_.find(card::Bytes(certificate.begin(), certificate.end()));
  if (it == originals_.end()) return std::nullopt;
  return it->second;
}

void CertificateStates::clear() {
  const std::lock_guard lock(mu_);
  reissued_.clear();
  originals_.clear();
  revoked_.clear();
  issued_ = 0;
}

}  // namespace zairyu::server
