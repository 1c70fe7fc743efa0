// parse_sign_certificate_personal_data on certificates made with OpenSSL.
#include <boost/test/unit_test.hpp>

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "scripted_transport.h"
#include "zairyu/client/certificate.h"
#include "zairyu/client/errors.h"

using namespace zairyu::client;

namespace {

// One subjectAltName entry: an otherName (oid, string type, bytes) or, with an
// empty oid, a DNS name.
struct Entry {
  std::string oid;
  std::string value;
  int type = V_ASN1_UTF8STRING;
};

void require(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test certificate: ") + what);
}

// A self-signed P-256 certificate (fast to make; the parser does not care
// about the key type) with the given subjectAltName entries.
Bytes make_certificate(const std::vector<Entry>& entries, bool with_san = true) {
  static const std::shared_ptr<EVP_PKEY> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("sign"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  if (with_san) {
    std::unique_ptr<GENERAL_NAMES, decltype(&GENERAL_NAMES_free)> names(sk_GENERAL_NAME_new_null(),
                                                                        GENERAL_NAMES_free);
    for (const Entry& e : entries) {
      GENERAL_NAME* gen = GENERAL_NAME_new();
      ASN1_STRING* text = ASN1_STRING_type_new(e.oid.empty() ? V_ASN1_IA5STRING : e.type);
      ASN1_STRING_set(text, e.value.data(), static_cast<int>(e.value.size()));
      if (e.oid.empty()) {
        GENERAL_NAME_set0_value(gen, GEN_DNS, text);
      } else {
        ASN1_TYPE* value = ASN1_TYPE_new();
        ASN1_TYPE_set(value, e.type, text);
        GENERAL_NAME_set0_othername(gen, OBJ_txt2obj(e.oid.c_str(), 1), value);
      }
      sk_GENERAL_NAME_push(names.get(), gen);
    }
    require(X509_add1_ext_i2d(cert.get(), NID_subject_alt_name, names.get(), 0,
                              X509V3_ADD_DEFAULT) == 1,
            "subjectAltName");
  }
  require(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0, "X509_sign");
  unsigned char* der = nullptr;
  const int size = i2d_X509(cert.get(), &der);
  require(size > 0, "i2d_X509");
  Bytes out(der, der + size);
  OPENSSL_free(der);
  return out;
}

const std::string kArc = "1.2.392.200149.8.5.5.";
const std::string kName = "\xE5\xB1\xB1\xE7\x94\xB0\xE3\x80\x80\xE8\x8A\xB1\xE5\xAD\x90";

std::vector<Entry> full_entries() {
  return {{"", "example.jp"},        {kArc + "1", kName},
          {kArc + "4", "419900102"}, {kArc + "3", "2"},
          {kArc + "5", "TOKYO"},     {kArc + "2", "00"},
          {kArc + "6", "01"},        {"1.2.392.200149.8.5.9", "other arc, ignored"}};
}

std::string error_of(const Bytes& der) {
  try {
    (void)parse_sign_certificate_personal_data(der);
  } catch (const CardProtocolError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sign_certificate_personal_data)

BOOST_AUTO_TEST_CASE(all_entries) {
  const auto data = parse_sign_certificate_personal_data(make_certificate(full_entries()));
  BOOST_TEST(data.name == kName);
  BOOST_TEST(data.name_substitute.value_or("") == "00");
  BOOST_TEST(data.gender == "2");
  BOOST_TEST(data.birth_date == "419900102");
  BOOST_TEST(data.address == "TOKYO");
  BOOST_TEST(data.address_substitute.value_or("") == "01");
}

BOOST_AUTO_TEST_CASE(optional_entries_and_printable_string) {
  const auto data = parse_sign_certificate_personal_data(
      make_certificate({{kArc + "1", "A B", V_ASN1_PRINTABLESTRING},
                        {kArc + "3", "1"},
                        {kArc + "4", "419900102"},
                        {kArc + "5", "X"}}));
  BOOST_TEST(!data.name_substitute.has_value());
  BOOST_TEST(!data.address_substitute.has_value());
  BOOST_TEST(data.name == "A B");
}

BOOST_AUTO_TEST_CASE(rejected) {
  auto entries = full_entries();
  entries.erase(entries.begin() + 2);  // birth date (.4)
  BOOST_TEST(error_of(make_certificate(entries)).find("1.2.392.200149.8.5.5.4 missing") !=
             std::string::npos);

  entries = full_entries();
  entries.push_back({kArc + "1", "again"});
  BOOST_TEST(error_of(make_certificate(entries)).find("appears twice") != std::string::npos);

  entries = full_entries();
  entries[1].value = "\xFF\xFE";
  BOOST_TEST(error_of(make_certificate(entries)).find("not clean UTF-8") != std::string::npos);

  entries = full_entries();
  entries[1].type = V_ASN1_OCTET_STRING;
  BOOST_TEST(error_of(make_certificate(entries)).find("not a UTF8String") != std::string::npos);

  BOOST_TEST(error_of(make_certificate({}, false)) == "signature certificate: no subjectAltName");

  Bytes der = make_certificate(full_entries());
  der.push_back(0x00);
  BOOST_TEST(error_of(der).find("bytes follow") != std::string::npos);
  der.resize(der.size() - 10);
  BOOST_TEST(error_of(der).find("not a DER X.509") != std::string::npos);
  BOOST_TEST(error_of(Bytes{}).find("no data") != std::string::npos);
  BOOST_TEST(error_of(zairyu::client::testing::hex("30 03 02 01 05")).find("not a DER") !=
             std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
