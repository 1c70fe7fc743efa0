// Card certificates at the virtual time: RAS-CERT-001..006, and the signer (RAS-CERT-007).
#include <boost/test/unit_test.hpp>

#include "emulator/online/certificate_check.h"
#include "emulator/online/signer_check.h"
#include "emulator/online/tests/test_dates.h"
#include "emulator/online/tests/test_pki.h"

namespace zairyu::online {
namespace {

using test::D;
using test::Der;
using test::TestIdentity;

constexpr long kAuthSerial = 10;
constexpr long kSignSerial = 11;

// One PKI for the whole suite: RSA key generation is the slow part.
struct Pki {
  TestIdentity ca = test::MakeCa("JPKI test CA", JstTime(D(2020, 1, 1)), JstTime(D(2035, 1, 1)));
  TestIdentity other_ca = test::MakeCa("Other CA", JstTime(D(2020, 1, 1)), JstTime(D(2035, 1, 1)));
  // Valid 2024-04-01 .. 2027-03-31 (the end of a period of stay).
  TestIdentity auth =
      test::MakeLeaf(ca, kAuthSerial, JstTime(D(2024, 4, 1)), JstTime(D(2027, 3, 31), 23, 59, 59),
                     "critical,digitalSignature");
  TestIdentity sign =
      test::MakeLeaf(ca, kSignSerial, JstTime(D(2024, 4, 1)), JstTime(D(2027, 3, 31), 23, 59, 59),
                     "critical,nonRepudiation");
  TestIdentity no_usage =
      test::MakeLeaf(ca, 12, JstTime(D(2024, 4, 1)), JstTime(D(2027, 3, 31)), "");
  TestIdentity foreign = test::MakeLeaf(other_ca, 13, JstTime(D(2024, 4, 1)),
                                        JstTime(D(2027, 3, 31)), "critical,digitalSignature");
  // The signature certificate revoked by an address change on 2025-06-01.
  Der crl = test::MakeCrl(ca, kSignSerial, JstTime(D(2025, 6, 1), 10), JstTime(D(2025, 6, 1), 12));
  Der other_crl =
      test::MakeCrl(other_ca, kSignSerial, JstTime(D(2025, 1, 1)), JstTime(D(2025, 1, 1)));
};

const Pki& P() {
  static const Pki pki;
  return pki;
}

CertificateCheckInput Input(const TestIdentity& who, CertificateUse use, Instant at) {
  return CertificateCheckInput{who.der, {P().ca.der}, {P().crl, P().other_crl}, use, at};
}

std::string ReasonOf(const Check& c) { return c ? c->reason + " " + c->rule_id : "passed"; }

BOOST_AUTO_TEST_SUITE(certificate_check)

BOOST_AUTO_TEST_CASE(valid_certificates_pass) {
  const Instant t = JstTime(D(2025, 5, 1));
  BOOST_TEST(ReasonOf(CheckCertificate(Input(P().auth, CertificateUse::kAuthentication, t))) ==
             "passed");
  BOOST_TEST(ReasonOf(CheckCertificate(Input(P().sign, CertificateUse::kSignature, t))) ==
             "passed");
}

// RAS-CERT-001: another CA, and garbage.
BOOST_AUTO_TEST_CASE(ras_cert_001_untrusted_and_malformed) {
  const Instant t = JstTime(D(2025, 5, 1));
  BOOST_TEST(ReasonOf(CheckCertificate(Input(P().foreign, CertificateUse::kAuthentication, t))) ==
             "CERTIFICATE_UNTRUSTED RAS-CERT-001");
  const Der junk = {0x30, 0x03, 0x01, 0x02};
  CertificateCheckInput in = Input(P().auth, CertificateUse::kAuthentication, t);
  in.certificate = junk;
  const Check c = CheckCertificate(in);
  BOOST_TEST(ReasonOf(c) == "CERTIFICATE_MALFORMED RAS-CERT-001");
  BOOST_TEST((c->category == ErrorCategory::kInvalidArgument));
  in = Input(P().auth, CertificateUse::kAuthentication, t);
  in.crls = {junk};
  BOOST_TEST(ReasonOf(CheckCertificate(in)) == "CERTIFICATE_MALFORMED RAS-CERT-001");
}

// RAS-CERT-002: the last second of the stay passes, the next one is expired.
BOOST_AUTO_TEST_CASE(ras_cert_002_expired_with_the_stay) {
  const Instant last = JstTime(D(2027, 3, 31), 23, 59, 59);
  BOOST_TEST(ReasonOf(CheckCertificate(Input(P().auth, CertificateUse::kAuthentication, last))) ==
             "passed");
  const Check c = CheckCertificate(
      Input(P().auth, CertificateUse::kAuthentication, last + std::chrono::seconds{1}));
  BOOST_TEST(ReasonOf(c) == "CERTIFICATE_EXPIRED RAS-CERT-002");
  BOOST_TEST((c->category == ErrorCategory::kUnauthenticated));
}

// RAS-CERT-003: before notBefore.
BOOST_AUTO_TEST_CASE(ras_cert_003_not_yet_valid) {
  const Instant before = JstTime(D(2024, 4, 1)) - std::chrono::seconds{1};
  BOOST_TEST(ReasonOf(CheckCertificate(Input(P().auth, CertificateUse::kAuthentication, before))) ==
             "CERTIFICATE_NOT_YET_VALID RAS-CERT-003");
}

// RAS-CERT-004: revoked from the revocation time on; the auth cert survives.
BOOST_AUTO_TEST_CASE(ras_cert_004_revoked_signature_certificate) {
  const Instant revoked = JstTime(D(2025, 6, 1), 10);
  BOOST_TEST(ReasonOf(CheckCertificate(Input(P().sign, CertificateUse::kSignature,
                                             revoked - std::chrono::seconds{1}))) == "passed");
  BOOST_TEST(ReasonOf(CheckCertificate(Input(P().sign, CertificateUse::kSignature, revoked))) ==
             "CERTIFICATE_REVOKED RAS-CERT-004");
  BOOST_TEST(ReasonOf(CheckCertificate(
                 Input(P().auth, CertificateUse::kAuthentication, revoked))) == "passed");
  // The other CA's CRL names the same serial but is not the issuer's: ignored.
  CertificateCheckInput only_other = Input(P().sign, CertificateUse::kSignature, revoked);
  only_other.crls = {P().other_crl};
  BOOST_TEST(ReasonOf(CheckCertificate(only_other)) == "passed");
}

// RAS-CERT-005: the right certificate for the right use.
BOOST_AUTO_TEST_CASE(ras_cert_005_key_usage) {
  const Instant t = JstTime(D(2025, 5, 1));
  BOOST_TEST(ReasonOf(CheckCertificate(Input(P().sign, CertificateUse::kAuthentication, t))) ==
             "CERTIFICATE_WRONG_KEY_USAGE RAS-CERT-005");
  BOOST_TEST(ReasonOf(CheckCertificate(Input(P().auth, CertificateUse::kSignature, t))) ==
             "CERTIFICATE_WRONG_KEY_USAGE RAS-CERT-005");
  BOOST_TEST(ReasonOf(CheckCertificate(Input(P().no_usage, CertificateUse::kAuthentication, t))) ==
             "CERTIFICATE_WRONG_KEY_USAGE RAS-CERT-005");
}

// RAS-CERT-006: RSA PKCS#1 v1.5 SHA-256 over the submission.
BOOST_AUTO_TEST_CASE(ras_cert_006_signature) {
  const std::string data = "application form bytes";
  const Der sig = test::Sign(P().sign, data);
  const auto bytes = [](const std::string& s) {
    return DerView(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
  };
  BOOST_TEST(ReasonOf(VerifySignature(P().sign.der, bytes(data), sig)) == "passed");
  BOOST_TEST(ReasonOf(VerifySignature(P().sign.der, bytes(data + "!"), sig)) ==
             "SIGNATURE_INVALID RAS-CERT-006");
  BOOST_TEST(ReasonOf(VerifySignature(P().auth.der, bytes(data), sig)) ==
             "SIGNATURE_INVALID RAS-CERT-006");
  BOOST_TEST(ReasonOf(VerifySignature(P().sign.der, bytes(data), Der{1, 2, 3})) ==
             "SIGNATURE_INVALID RAS-CERT-006");
}

TrustAnchors Anchors(std::size_t capacity = TrustAnchors::kCacheCapacity) {
  auto anchors = TrustAnchors::Parse({P().ca.der}, {P().crl, P().other_crl}, capacity);
  BOOST_REQUIRE(anchors.ok());
  return std::move(anchors).value();
}

// A cached certificate is still checked against the time of every call.
BOOST_AUTO_TEST_CASE(cached_certificates_still_follow_the_clock) {
  const TrustAnchors anchors = Anchors();
  const Instant last = JstTime(D(2027, 3, 31), 23, 59, 59);
  const Instant revoked = JstTime(D(2025, 6, 1), 10);
  const auto check = [&](const TestIdentity& who, CertificateUse use, Instant at) {
    return ReasonOf(CheckCertificate(anchors, who.der, use, at));
  };
  BOOST_TEST(check(P().auth, CertificateUse::kAuthentication, last) == "passed");
  BOOST_TEST(anchors.cached_certificates() == 1u);
  BOOST_TEST(check(P().auth, CertificateUse::kAuthentication, last + std::chrono::seconds{1}) ==
             "CERTIFICATE_EXPIRED RAS-CERT-002");
  BOOST_TEST(check(P().auth, CertificateUse::kAuthentication,
                   JstTime(D(2024, 4, 1)) - std::chrono::seconds{1}) ==
             "CERTIFICATE_NOT_YET_VALID RAS-CERT-003");
  BOOST_TEST(check(P().auth, CertificateUse::kSignature, last) ==
             "CERTIFICATE_WRONG_KEY_USAGE RAS-CERT-005");
  BOOST_TEST(check(P().sign, CertificateUse::kSignature, revoked - std::chrono::seconds{1}) ==
             "passed");
  BOOST_TEST(check(P().sign, CertificateUse::kSignature, revoked) ==
             "CERTIFICATE_REVOKED RAS-CERT-004");
  BOOST_TEST(check(P().foreign, CertificateUse::kAuthentication, last) ==
             "CERTIFICATE_UNTRUSTED RAS-CERT-001");
  BOOST_TEST(check(P().foreign, CertificateUse::kAuthentication, last) ==
             "CERTIFICATE_UNTRUSTED RAS-CERT-001");
  const Der junk = {0x30, 0x03, 0x01, 0x02};
  BOOST_TEST(ReasonOf(CheckCertificate(anchors, junk, CertificateUse::kAuthentication, last)) ==
             "CERTIFICATE_MALFORMED RAS-CERT-001");
  BOOST_TEST(anchors.cached_certificates() == 4u);
}

// The signature check through the cache gives the same answers.
BOOST_AUTO_TEST_CASE(cached_signature_verification) {
  const TrustAnchors anchors = Anchors();
  const Der data = {'f', 'o', 'r', 'm'};
  const Der sig = test::Sign(P().sign, "form");
  BOOST_TEST(ReasonOf(VerifySignature(anchors, P().sign.der, data, sig)) ==
             "passed");  // not cached
  CheckCertificate(anchors, P().sign.der, CertificateUse::kSignature, JstTime(D(2025, 5, 1)));
  BOOST_TEST(anchors.cached_certificates() == 1u);
  BOOST_TEST(ReasonOf(VerifySignature(anchors, P().sign.der, data, sig)) == "passed");
  BOOST_TEST(ReasonOf(VerifySignature(anchors, P().sign.der, Der{'x'}, sig)) ==
             "SIGNATURE_INVALID RAS-CERT-006");
}

// The cache keeps at most its capacity, dropping the oldest.
BOOST_AUTO_TEST_CASE(the_cache_is_bounded) {
  const TrustAnchors anchors = Anchors(2);
  const Instant t = JstTime(D(2025, 5, 1));
  for (const TestIdentity* who : {&P().auth, &P().sign, &P().no_usage, &P().auth}) {
    CheckCertificate(anchors, who->der, CertificateUse::kAuthentication, t);
    BOOST_TEST(anchors.cached_certificates() <= 2u);
  }
  BOOST_TEST(anchors.cached_certificates() == 2u);
  CertificateCache cache(1);
  const auto a = CertificateCache::DigestOf(P().auth.der);
  const auto b = CertificateCache::DigestOf(P().sign.der);
  cache.Insert(a, std::make_shared<CertificateFacts>());
  cache.Insert(b, std::make_shared<CertificateFacts>());
  BOOST_TEST(!cache.Find(a));
  BOOST_TEST(cache.Find(b) != nullptr);
}

// RAS-CERT-004: a CRL added later revokes also a certificate checked (and
// cached) before; dropping it restores the CRLs given at Parse.
BOOST_AUTO_TEST_CASE(ras_cert_004_added_crl_revokes_at_once) {
  auto parsed = TrustAnchors::Parse({P().ca.der}, {});
  BOOST_REQUIRE(parsed.ok());
  TrustAnchors anchors = std::move(parsed).value();
  const TrustAnchors copy = anchors;  // copies share the CRLs
  const Instant t = JstTime(D(2025, 6, 2));
  const auto check = [&](const TrustAnchors& a) {
    return ReasonOf(CheckCertificate(a, P().sign.der, CertificateUse::kSignature, t));
  };
  BOOST_TEST(check(anchors) == "passed");
  BOOST_TEST(ReasonOf(anchors.AddCrl(P().crl)) == "passed");
  BOOST_TEST(check(anchors) == "CERTIFICATE_REVOKED RAS-CERT-004");
  BOOST_TEST(check(copy) == "CERTIFICATE_REVOKED RAS-CERT-004");
  anchors.DropAddedCrls();
  BOOST_TEST(check(copy) == "passed");
  BOOST_TEST(ReasonOf(anchors.AddCrl(P().other_crl)) == "CERTIFICATE_UNTRUSTED RAS-CERT-001");
  BOOST_TEST(ReasonOf(anchors.AddCrl(Der{0x30, 0x00})) == "CERTIFICATE_MALFORMED RAS-CERT-001");
  BOOST_TEST(check(anchors) == "passed");
}

// Two CAs with one name (a key rollover): chains depend on the time, no caching.
BOOST_AUTO_TEST_CASE(ambiguous_issuers_are_not_cached) {
  const TestIdentity twin =
      test::MakeCa("JPKI test CA", JstTime(D(2020, 1, 1)), JstTime(D(2035, 1, 1)));
  auto anchors = TrustAnchors::Parse({P().ca.der, twin.der}, {P().crl});
  BOOST_REQUIRE(anchors.ok());
  CheckCertificate(anchors.value(), P().auth.der, CertificateUse::kAuthentication,
                   JstTime(D(2025, 5, 1)));
  BOOST_TEST(anchors.value().cached_certificates() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace zairyu::online

namespace zairyu::online {
namespace {

BOOST_AUTO_TEST_SUITE(signer_check)

// RAS-CERT-007: the signer is the card holder who logged in.
BOOST_AUTO_TEST_CASE(ras_cert_007_signer_is_the_login_card_holder) {
  BOOST_TEST(!CheckSigner("parent-of-child", "parent-of-child").has_value());
  const Check other = CheckSigner("parent-of-child", "child-14");
  BOOST_REQUIRE(other.has_value());
  BOOST_TEST(other->reason == "SIGNER_MISMATCH");
  BOOST_TEST(other->rule_id == "RAS-CERT-007");
  BOOST_TEST((other->category == ErrorCategory::kPermissionDenied));
  // A known person's signature under an unknown card, and the other way round.
  BOOST_TEST(CheckSigner("", "adult-valid").has_value());
  BOOST_TEST(CheckSigner("adult-valid", "").has_value());
  // Nothing links either certificate: nothing to compare.
  BOOST_TEST(!CheckSigner("", "").has_value());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace zairyu::online
