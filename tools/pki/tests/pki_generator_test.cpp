// Runs the generator over fixtures/personas into a temporary directory and
// checks the result with OpenSSL: chains, windows, CRLs, key usages, policies,
// SAN personal data, layout.
#define BOOST_TEST_MODULE pki_generator_test
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <map>
#include <random>
#include <string>

#include "emulator/persona/card_profile_builder.h"
#include "emulator/persona/cert_personal_data.h"
#include "emulator/persona/persona.h"
#include "emulator/persona/pki_directory.h"
#include "tools/pki/jpki_test_pki.h"
#include "tools/pki/x509_builder.h"

namespace fs = std::filesystem;
using namespace zairyu::testpki;
using zairyu::persona::Persona;
using zairyu::persona::PkiDirectory;
using namespace std::chrono_literals;

namespace {

// The generated PKI, shared by all test cases (key generation is the slow part).
struct GeneratedPki {
  fs::path root;
  std::map<std::string, Persona> personas;

  GeneratedPki()
      : root(fs::temp_directory_path() /
             ("zairyu-pki-test-" + std::to_string(std::random_device{}()))) {
    for (auto& p : zairyu::persona::load_persona_directory(ZAIRYU_PERSONAS_DIR)) {
      personas.emplace(p.id, p);
    }
    std::vector<Persona> list;
    for (const auto& [id, p] : personas) list.push_back(p);
    generate_test_pki(list, root, kDefaultNow);
  }
  ~GeneratedPki() { fs::remove_all(root); }
  GeneratedPki(const GeneratedPki&) = delete;
  GeneratedPki& operator=(const GeneratedPki&) = delete;

  PkiDirectory dir() const { return PkiDirectory(root); }
  X509Ptr cert(const fs::path& path) const {
    return parse_certificate_der(PkiDirectory::read_bytes(path));
  }
};

const GeneratedPki& pki() {
  static const GeneratedPki instance;
  return instance;
}

// unique_ptr deleters for OpenSSL objects.
struct StoreDeleter {
  void operator()(X509_STORE* p) const { X509_STORE_free(p); }
};
struct StoreCtxDeleter {
  void operator()(X509_STORE_CTX* p) const { X509_STORE_CTX_free(p); }
};

// X509_verify_cert of `leaf` against the single trust anchor `ca` at time
// `at`; returns X509_V_OK or the verification error. With `crl`, CRL checking
// is on for the leaf.
int verify(X509* leaf, X509* ca, std::time_t at, X509_CRL* crl = nullptr) {
  std::unique_ptr<X509_STORE, StoreDeleter> store(X509_STORE_new());
  X509_STORE_add_cert(store.get(), ca);
  if (crl) {
    X509_STORE_add_crl(store.get(), crl);
    X509_STORE_set_flags(store.get(), X509_V_FLAG_CRL_CHECK);
  }
  std::unique_ptr<X509_STORE_CTX, StoreCtxDeleter> ctx(X509_STORE_CTX_new());
  X509_STORE_CTX_init(ctx.get(), store.get(), leaf, nullptr);
  X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx.get()), at);
  return X509_verify_cert(ctx.get()) == 1 ? X509_V_OK : X509_STORE_CTX_get_error(ctx.get());
}

std::string name_text(const X509_NAME* name) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

std::vector<std::string> policies(X509* cert) {
  std::vector<std::string> out;
  auto* pols = static_cast<CERTIFICATEPOLICIES*>(
      X509_get_ext_d2i(cert, NID_certificate_policies, nullptr, nullptr));
  for (int i = 0; pols && i < sk_POLICYINFO_num(pols); ++i) {
    char buf[80];
    OBJ_obj2txt(buf, sizeof buf, sk_POLICYINFO_value(pols, i)->policyid, 1);
    out.emplace_back(buf);
  }
  CERTIFICATEPOLICIES_free(pols);
  return out;
}

bool extension_critical(X509* cert, int nid) {
  const int index = X509_get_ext_by_NID(cert, nid, -1);
  return index >= 0 && X509_EXTENSION_get_critical(X509_get_ext(cert, index)) == 1;
}

std::uint64_t serial_of(X509* cert) {
  std::uint64_t v = 0;
  ASN1_INTEGER_get_uint64(&v, X509_get0_serialNumber(cert));
  return v;
}

// Entries of a CRL; OpenSSL gives no stack at all for an empty CRL.
int revoked_count(X509_CRL* crl) {
  const auto* revoked = X509_CRL_get_REVOKED(crl);
  return revoked ? sk_X509_REVOKED_num(revoked) : 0;
}

const std::time_t kNow = jst_start_of_day(kDefaultNow);

}  // namespace

BOOST_AUTO_TEST_SUITE(pki_generator)

BOOST_AUTO_TEST_CASE(layout) {
  const auto dir = pki().dir();
  for (const fs::path& f :
       {dir.auth_ca_certificate(), dir.auth_ca_certificate_pem(), dir.auth_ca_key(),
        dir.sign_ca_certificate(), dir.sign_ca_certificate_pem(), dir.sign_ca_key(), dir.auth_crl(),
        dir.sign_crl()}) {
    BOOST_TEST(fs::is_regular_file(f), f);
  }
  for (const auto& [id, p] : pki().personas) {
    BOOST_TEST(fs::is_regular_file(dir.auth_certificate(id)), id);
    BOOST_TEST(fs::is_regular_file(dir.auth_key(id)), id);
    BOOST_TEST(fs::exists(dir.sign_certificate(id)) == p.certificates.sign.has_value(), id);
    BOOST_TEST(fs::exists(dir.sign_key(id)) == p.certificates.sign.has_value(), id);
  }
  BOOST_TEST(!fs::exists(dir.sign_certificate("child-14")));
  BOOST_TEST(fs::exists(dir.sign_certificate("adult-valid")));
}

BOOST_AUTO_TEST_CASE(certificate_authorities) {
  const auto dir = pki().dir();
  const X509Ptr auth_ca = pki().cert(dir.auth_ca_certificate());
  const X509Ptr sign_ca = pki().cert(dir.sign_ca_certificate());
  BOOST_TEST(name_text(X509_get_subject_name(auth_ca.get())) ==
             "OU=zairyu-lab test CA - not for real use,OU=JPKI-TEST for user "
             "authentication,O=JPKI-TEST,C=JP");
  BOOST_TEST(name_text(X509_get_subject_name(sign_ca.get())) ==
             "OU=zairyu-lab test CA - not for real use,OU=JPKI-TEST for digital "
             "signature,O=JPKI-TEST,C=JP");
  for (X509* ca : {auth_ca.get(), sign_ca.get()}) {
    BOOST_TEST(X509_check_issued(ca, ca) == X509_V_OK);
    BOOST_TEST(verify(ca, ca, kNow) == X509_V_OK);
    BOOST_TEST(X509_check_ca(ca) == 1);
    BOOST_TEST(extension_critical(ca, NID_basic_constraints));
    BOOST_TEST(extension_critical(ca, NID_key_usage));
    BOOST_TEST(X509_get_key_usage(ca) ==
               static_cast<std::uint32_t>(KU_KEY_CERT_SIGN | KU_CRL_SIGN));
    BOOST_TEST(X509_get0_subject_key_id(ca) != nullptr);
    BOOST_TEST(X509_get_signature_nid(ca) == NID_sha256WithRSAEncryption);
    BOOST_TEST(EVP_PKEY_get_bits(X509_get0_pubkey(ca)) == 2048);
    BOOST_TEST(ASN1_TIME_cmp_time_t(X509_get0_notAfter(ca), jst_start_of_day(2040y / 12 / 31)) > 0);
  }
  BOOST_TEST(verify(auth_ca.get(), sign_ca.get(), kNow) != X509_V_OK);
}

BOOST_AUTO_TEST_CASE(end_entity_profiles) {
  const auto dir = pki().dir();
  const X509Ptr auth_ca = pki().cert(dir.auth_ca_certificate());
  const X509Ptr sign_ca = pki().cert(dir.sign_ca_certificate());
  for (const auto& [id, p] : pki().personas) {
    BOOST_TEST_CONTEXT(id) {
      const X509Ptr auth = pki().cert(dir.auth_certificate(id));
      const auto& aw = p.certificates.auth;
      const std::time_t inside = jst_start_of_day(aw.not_before) + 3600;
      BOOST_TEST(verify(auth.get(), auth_ca.get(), inside) == X509_V_OK);
      BOOST_TEST(verify(auth.get(), sign_ca.get(), inside) != X509_V_OK);
      BOOST_TEST(ASN1_TIME_cmp_time_t(X509_get0_notBefore(auth.get()),
                                      jst_start_of_day(aw.not_before)) == 0);
      BOOST_TEST(
          ASN1_TIME_cmp_time_t(X509_get0_notAfter(auth.get()), jst_end_of_day(aw.not_after)) == 0);
      BOOST_TEST(X509_get_key_usage(auth.get()) ==
                 static_cast<std::uint32_t>(KU_DIGITAL_SIGNATURE));
      BOOST_TEST(extension_critical(auth.get(), NID_key_usage));
      BOOST_TEST(policies(auth.get()) == std::vector<std::string>{std::string(kAuthPolicyOid)},
                 boost::test_tools::per_element());
      BOOST_TEST(X509_get_ext_by_NID(auth.get(), NID_subject_alt_name, -1) < 0);
      BOOST_TEST(name_text(X509_get_subject_name(auth.get())) ==
                 "CN=" + derived_common_name("auth:" + id) + ",C=JP");
      BOOST_TEST(serial_of(auth.get()) == derived_serial("auth:" + id));
      BOOST_TEST(X509_get0_authority_key_id(auth.get()) != nullptr);
      BOOST_TEST(X509_get0_subject_key_id(auth.get()) != nullptr);
      BOOST_TEST(EVP_PKEY_get_bits(X509_get0_pubkey(auth.get())) == 2048);
      const auto auth_der = PkiDirectory::read_bytes(dir.auth_certificate(id));
      BOOST_TEST(!zairyu::jpki::parse_cert_personal_data(auth_der).has_value());

      if (!p.certificates.sign) continue;
      const X509Ptr sign = pki().cert(dir.sign_certificate(id));
      const auto& sw = *p.certificates.sign;
      BOOST_TEST(verify(sign.get(), sign_ca.get(), jst_end_of_day(sw.not_after) - 60) == X509_V_OK);
      BOOST_TEST(verify(sign.get(), auth_ca.get(), jst_end_of_day(sw.not_after) - 60) != X509_V_OK);
      BOOST_TEST(ASN1_TIME_cmp_time_t(X509_get0_notBefore(sign.get()),
                                      jst_start_of_day(sw.not_before)) == 0);
      BOOST_TEST(
          ASN1_TIME_cmp_time_t(X509_get0_notAfter(sign.get()), jst_end_of_day(sw.not_after)) == 0);
      BOOST_TEST(X509_get_key_usage(sign.get()) ==
                 static_cast<std::uint32_t>(KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION));
      BOOST_TEST(policies(sign.get()) == std::vector<std::string>{std::string(kSignPolicyOid)},
                 boost::test_tools::per_element());
      BOOST_TEST(X509_check_private_key(sign.get(),
                                        auth.get() ? X509_get0_pubkey(auth.get()) : nullptr) != 1);
    }
  }
}

BOOST_AUTO_TEST_CASE(validity_against_the_clock) {
  const auto dir = pki().dir();
  const X509Ptr auth_ca = pki().cert(dir.auth_ca_certificate());
  const X509Ptr sign_ca = pki().cert(dir.sign_ca_certificate());
  BOOST_TEST(verify(pki().cert(dir.auth_certificate("adult-valid")).get(), auth_ca.get(), kNow) ==
             X509_V_OK);
  BOOST_TEST(verify(pki().cert(dir.auth_certificate("adult-expired-auth")).get(), auth_ca.get(),
                    kNow) == X509_V_ERR_CERT_HAS_EXPIRED);
  BOOST_TEST(verify(pki().cert(dir.sign_certificate("adult-expired-auth")).get(), sign_ca.get(),
                    kNow) == X509_V_ERR_CERT_HAS_EXPIRED);
  BOOST_TEST(verify(pki().cert(dir.auth_certificate("adult-not-yet-valid")).get(), auth_ca.get(),
                    kNow) == X509_V_ERR_CERT_NOT_YET_VALID);
  // Valid until the end of the last day (JST); OpenSSL already treats the
  // notAfter second itself as expired, so probe one second before it.
  const X509Ptr valid = pki().cert(dir.auth_certificate("adult-valid"));
  BOOST_TEST(verify(valid.get(), auth_ca.get(), jst_end_of_day(2027y / 6 / 30) - 1) == X509_V_OK);
  BOOST_TEST(verify(valid.get(), auth_ca.get(), jst_end_of_day(2027y / 6 / 30) + 1) ==
             X509_V_ERR_CERT_HAS_EXPIRED);
}

BOOST_AUTO_TEST_CASE(crls) {
  const auto dir = pki().dir();
  const X509Ptr auth_ca = pki().cert(dir.auth_ca_certificate());
  const X509Ptr sign_ca = pki().cert(dir.sign_ca_certificate());
  const X509CrlPtr auth_crl = parse_crl_der(PkiDirectory::read_bytes(dir.auth_crl()));
  const X509CrlPtr sign_crl = parse_crl_der(PkiDirectory::read_bytes(dir.sign_crl()));

  for (const auto& [crl, ca] :
       {std::pair{auth_crl.get(), auth_ca.get()}, std::pair{sign_crl.get(), sign_ca.get()}}) {
    BOOST_TEST(X509_CRL_get_version(crl) == X509_CRL_VERSION_2);
    BOOST_TEST(X509_CRL_verify(crl, X509_get0_pubkey(ca)) == 1);
    BOOST_TEST(X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_subject_name(ca)) == 0);
    BOOST_TEST(ASN1_TIME_cmp_time_t(X509_CRL_get0_lastUpdate(crl), kNow) == 0);
    BOOST_TEST(ASN1_TIME_cmp_time_t(X509_CRL_get0_nextUpdate(crl), kNow + 365 * 24 * 3600) > 0);
    BOOST_TEST(X509_CRL_get_ext_by_NID(crl, NID_authority_key_identifier, -1) >= 0);
    BOOST_TEST(X509_CRL_get_ext_by_NID(crl, NID_crl_number, -1) >= 0);
  }
  BOOST_TEST(revoked_count(auth_crl.get()) == 0);
  BOOST_REQUIRE(revoked_count(sign_crl.get()) == 1);
  const auto* revoked = X509_CRL_get_REVOKED(sign_crl.get());
  const X509_REVOKED* entry = sk_X509_REVOKED_value(revoked, 0);
  std::uint64_t serial = 0;
  ASN1_INTEGER_get_uint64(&serial, X509_REVOKED_get0_serialNumber(entry));
  BOOST_TEST(serial == derived_serial("sign:adult-revoked-sign"));
  BOOST_TEST(ASN1_TIME_cmp_time_t(X509_REVOKED_get0_revocationDate(entry),
                                  jst_start_of_day(2025y / 12 / 1)) == 0);
  auto* reason = static_cast<ASN1_ENUMERATED*>(
      X509_REVOKED_get_ext_d2i(entry, NID_crl_reason, nullptr, nullptr));
  BOOST_REQUIRE(reason != nullptr);
  BOOST_TEST(ASN1_ENUMERATED_get(reason) == 3);  // affiliationChanged
  ASN1_ENUMERATED_free(reason);

  const X509Ptr revoked_sign = pki().cert(dir.sign_certificate("adult-revoked-sign"));
  BOOST_TEST(verify(revoked_sign.get(), sign_ca.get(), kNow, sign_crl.get()) ==
             X509_V_ERR_CERT_REVOKED);
  const X509Ptr its_auth = pki().cert(dir.auth_certificate("adult-revoked-sign"));
  BOOST_TEST(verify(its_auth.get(), auth_ca.get(), kNow, auth_crl.get()) == X509_V_OK);
}

BOOST_AUTO_TEST_CASE(future_revocations_are_left_out) {
  const fs::path root = pki().root / "future";
  Persona p = pki().personas.at("child-14");  // no sign cert: fewer keys to make
  p.certificates.auth.revoked =
      zairyu::persona::Revocation{2026y / 6 / 1, zairyu::persona::RevocationReason::kKeyCompromise};
  generate_test_pki({p}, root, kDefaultNow);
  const PkiDirectory dir(root);
  auto crl = parse_crl_der(PkiDirectory::read_bytes(dir.auth_crl()));
  BOOST_TEST(revoked_count(crl.get()) == 0);
  generate_test_pki({p}, root, 2026y / 6 / 1);
  crl = parse_crl_der(PkiDirectory::read_bytes(dir.auth_crl()));
  BOOST_TEST(revoked_count(crl.get()) == 1);
}

BOOST_AUTO_TEST_CASE(san_personal_data_round_trips) {
  const auto dir = pki().dir();
  for (const auto& [id, p] : pki().personas) {
    if (!p.certificates.sign) continue;
    BOOST_TEST_CONTEXT(id) {
      const auto data = zairyu::jpki::parse_cert_personal_data(
          PkiDirectory::read_bytes(dir.sign_certificate(id)));
      BOOST_REQUIRE(data.has_value());
      BOOST_TEST(data->name == zairyu::persona::basic_four_name(p.name));
      BOOST_TEST(data->address == zairyu::persona::basic_four_address(p));
      BOOST_TEST(data->birth_date == zairyu::persona::compact_date(p.birth_date));
      BOOST_TEST(data->gender == san_gender(p.sex));
      BOOST_TEST(data->name_substitute_flags.has_value());
      BOOST_TEST(data->address_substitute_flags.has_value());
    }
  }
  const auto an = zairyu::jpki::parse_cert_personal_data(
      PkiDirectory::read_bytes(dir.sign_certificate("adult-valid")));
  BOOST_TEST(an->name == "NGUYEN\u3000VAN AN");
  BOOST_TEST(an->gender == '1');
  BOOST_TEST(an->birth_era == '4');  // 1994: 平成
  BOOST_TEST(an->birth_date == "19940512");
  BOOST_TEST(an->name_substitute_flags.value() == std::string(13, '0'));
  const auto pr = zairyu::jpki::parse_cert_personal_data(
      PkiDirectory::read_bytes(dir.sign_certificate("permanent-resident")));
  BOOST_TEST(pr->birth_era == '3');  // 1980: 昭和
  BOOST_TEST(pr->name == "PEREZ GARCIA\u3000JUAN CARLOS");
}

BOOST_AUTO_TEST_CASE(personal_data_entries_in_real_order) {
  const auto entries = personal_data_entries(pki().personas.at("parent-of-child"));
  std::vector<std::string> oids;
  for (const auto& e : entries) oids.push_back(e.oid);
  const std::vector<std::string> expected = {"1.2.392.200149.8.5.5.1", "1.2.392.200149.8.5.5.4",
                                             "1.2.392.200149.8.5.5.3", "1.2.392.200149.8.5.5.5",
                                             "1.2.392.200149.8.5.5.2", "1.2.392.200149.8.5.5.6"};
  BOOST_TEST(oids == expected, boost::test_tools::per_element());
  BOOST_TEST(entries[1].utf8_value == "319850908");  // 1985: 昭和
  BOOST_TEST(entries[2].utf8_value == "2");
}

BOOST_AUTO_TEST_CASE(era_digits) {
  using zairyu::jpki::era_digit;
  BOOST_TEST(era_digit(1868, 1, 24) == '0');
  BOOST_TEST(era_digit(1868, 1, 25) == '1');
  BOOST_TEST(era_digit(1912, 7, 29) == '1');
  BOOST_TEST(era_digit(1912, 7, 30) == '2');
  BOOST_TEST(era_digit(1926, 12, 24) == '2');
  BOOST_TEST(era_digit(1926, 12, 25) == '3');
  BOOST_TEST(era_digit(1989, 1, 7) == '3');
  BOOST_TEST(era_digit(1989, 1, 8) == '4');
  BOOST_TEST(era_digit(2019, 4, 30) == '4');
  BOOST_TEST(era_digit(2019, 5, 1) == '5');
  BOOST_TEST(zairyu::jpki::encode_birth_date("19900102") == "419900102");
}

BOOST_AUTO_TEST_CASE(personal_data_parser_rejects_junk) {
  using zairyu::jpki::CertPersonalDataError;
  using zairyu::jpki::parse_cert_personal_data;
  const std::vector<std::uint8_t> junk = {0x30, 0x82, 0x01, 0x00, 0x01};
  BOOST_CHECK_THROW(parse_cert_personal_data(junk), CertPersonalDataError);
  BOOST_CHECK_THROW(parse_cert_personal_data({}), CertPersonalDataError);
  auto der = PkiDirectory::read_bytes(pki().dir().sign_certificate("adult-valid"));
  der.push_back(0);
  BOOST_CHECK_THROW(parse_cert_personal_data(der), CertPersonalDataError);
  // A CA certificate parses but has no personal data.
  BOOST_TEST(!parse_cert_personal_data(PkiDirectory::read_bytes(pki().dir().sign_ca_certificate()))
                  .has_value());
}

BOOST_AUTO_TEST_CASE(only_personal_data_error_escapes_on_mutated_certificates) {
  const auto base = PkiDirectory::read_bytes(pki().dir().sign_certificate("adult-valid"));
  std::mt19937 rng(2026);
  for (int i = 0; i < 3000; ++i) {
    auto der = base;
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < flips; ++k) {
      der[rng() % der.size()] = static_cast<std::uint8_t>(rng() % 256);
    }
    if (rng() % 8 == 0) der.resize(rng() % der.size());
    try {
      zairyu::jpki::parse_cert_personal_data(der);
    } catch (const zairyu::jpki::CertPersonalDataError&) {
    } catch (const std::exception& e) {
      BOOST_FAIL("unexpected exception: " << e.what());
    }
  }
}

BOOST_AUTO_TEST_CASE(personal_data_parser_checks_values) {
  using zairyu::jpki::CertPersonalDataError;
  using zairyu::jpki::parse_cert_personal_data;
  const auto key = generate_rsa_key();
  const auto make = [&](std::vector<OtherName> san) {
    CertificateSpec spec;
    spec.subject = {{"CN", "test"}};
    spec.not_before = kNow;
    spec.not_after = kNow + 3600;
    spec.subject_alt_names = std::move(san);
    const X509Ptr cert = issue_certificate(spec, key.get(), nullptr, key.get());
    return certificate_der(cert.get());
  };
  const OtherName name{"1.2.392.200149.8.5.5.1", "TEST\u3000A"};
  const OtherName gender{"1.2.392.200149.8.5.5.3", "2"};
  const OtherName birth{"1.2.392.200149.8.5.5.4", "520200101"};
  const OtherName address{"1.2.392.200149.8.5.5.5", "東京都"};
  BOOST_TEST(parse_cert_personal_data(make({name, gender, birth, address})).has_value());
  BOOST_CHECK_THROW(parse_cert_personal_data(make({name, gender, birth})), CertPersonalDataError);
  BOOST_CHECK_THROW(parse_cert_personal_data(make({name, name, gender, birth, address})),
                    CertPersonalDataError);
  BOOST_CHECK_THROW(
      parse_cert_personal_data(make({name, {"1.2.392.200149.8.5.5.3", "9"}, birth, address})),
      CertPersonalDataError);
  BOOST_CHECK_THROW(  // 2020 is 令和 (5), not 平成 (4)
      parse_cert_personal_data(
          make({name, gender, {"1.2.392.200149.8.5.5.4", "420200101"}, address})),
      CertPersonalDataError);
  BOOST_CHECK_THROW(parse_cert_personal_data(
                        make({name, gender, birth, address, {"1.2.392.200149.8.5.5.2", "00"}})),
                    CertPersonalDataError);
  BOOST_TEST(parse_cert_personal_data(
                 make({name, gender, {"1.2.392.200149.8.5.5.4", "020200101"}, address}))
                 ->birth_era == '0');
}

BOOST_AUTO_TEST_SUITE_END()
