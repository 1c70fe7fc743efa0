// OpenSSL 3 implementation of the test-PKI building blocks.
#include "tools/pki/x509_builder.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <array>

namespace zairyu::testpki {
namespace {

// unique_ptr deleters for OpenSSL objects used internally.
struct BioDeleter {
  void operator()(BIO* p) const { BIO_free(p); }
};
struct Asn1IntegerDeleter {
  void operator()(ASN1_INTEGER* p) const { ASN1_INTEGER_free(p); }
};
struct Asn1TimeDeleter {
  void operator()(ASN1_TIME* p) const { ASN1_TIME_free(p); }
};
struct ExtensionDeleter {
  void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
};
struct GeneralNamesDeleter {
  void operator()(GENERAL_NAMES* p) const { GENERAL_NAMES_free(p); }
};
struct PoliciesDeleter {
  void operator()(CERTIFICATEPOLICIES* p) const { CERTIFICATEPOLICIES_free(p); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

// Throws PkiError with `what` and the drained OpenSSL error queue unless ok.
void check(bool ok, const std::string& what) {
  if (ok) return;
  std::string message = what;
  while (const unsigned long code = ERR_get_error()) {
    std::array<char, 256> buf{};
    ERR_error_string_n(code, buf.data(), buf.size());
    message += "; ";
    message += buf.data();
  }
  throw PkiError(message);
}

std::unique_ptr<ASN1_INTEGER, Asn1IntegerDeleter> make_integer(std::uint64_t value) {
  std::unique_ptr<ASN1_INTEGER, Asn1IntegerDeleter> n(ASN1_INTEGER_new());
  check(n && ASN1_INTEGER_set_uint64(n.get(), value) == 1, "ASN1_INTEGER_set_uint64");
  return n;
}

std::unique_ptr<ASN1_TIME, Asn1TimeDeleter> make_time(std::time_t t) {
  std::unique_ptr<ASN1_TIME, Asn1TimeDeleter> time(ASN1_TIME_set(nullptr, t));
  check(time != nullptr, "ASN1_TIME_set");
  return time;
}

// Adds one extension given in OpenSSL's configuration syntax.
void add_conf_extension(X509* cert, X509V3_CTX* ctx, int nid, const std::string& value) {
  std::unique_ptr<X509_EXTENSION, ExtensionDeleter> ext(
      X509V3_EXT_conf_nid(nullptr, ctx, nid, value.c_str()));
  check(ext != nullptr, "X509V3_EXT_conf_nid " + std::string(OBJ_nid2sn(nid)) + "=" + value);
  check(X509_add_ext(cert, ext.get(), -1) == 1, "X509_add_ext");
}

// certificatePolicies with bare policy OIDs. Built directly: OpenSSL's
// configuration syntax for this extension needs a config database.
void add_policies(X509* cert, const std::vector<std::string>& oids) {
  std::unique_ptr<CERTIFICATEPOLICIES, PoliciesDeleter> policies(sk_POLICYINFO_new_null());
  check(policies != nullptr, "sk_POLICYINFO_new_null");
  for (const auto& oid : oids) {
    POLICYINFO* info = POLICYINFO_new();
    ASN1_OBJECT* id = OBJ_txt2obj(oid.c_str(), 1);
    if (info == nullptr || id == nullptr || sk_POLICYINFO_push(policies.get(), info) <= 0) {
      POLICYINFO_free(info);
      ASN1_OBJECT_free(id);
      check(false, "certificate policy " + oid);
    }
    ASN1_OBJECT_free(info->policyid);
    info->policyid = id;
  }
  check(
      X509_add1_ext_i2d(cert, NID_certificate_policies, policies.get(), 0, X509V3_ADD_DEFAULT) == 1,
      "certificatePolicies");
}

void add_other_names(X509* cert, const std::vector<OtherName>& entries) {
  std::unique_ptr<GENERAL_NAMES, GeneralNamesDeleter> names(sk_GENERAL_NAME_new_null());
  check(names != nullptr, "sk_GENERAL_NAME_new_null");
  for (const auto& entry : entries) {
    GENERAL_NAME* gen = GENERAL_NAME_new();
    ASN1_OBJECT* oid = OBJ_txt2obj(entry.oid.c_str(), 1);
    ASN1_TYPE* value = ASN1_TYPE_new();
    ASN1_UTF8STRING* text = ASN1_UTF8STRING_new();
    const bool built = gen && oid && value && text &&
                       ASN1_STRING_set(text, entry.utf8_value.data(),
                                       static_cast<int>(entry.utf8_value.size())) == 1;
    if (!built) {
      GENERAL_NAME_free(gen);
      ASN1_OBJECT_free(oid);
      ASN1_TYPE_free(value);
      ASN1_UTF8STRING_free(text);
      check(false, "otherName " + entry.oid);
    }
    ASN1_TYPE_set(value, V_ASN1_UTF8STRING, text);  // value owns text
    if (GENERAL_NAME_set0_othername(gen, oid, value) != 1) {
      GENERAL_NAME_free(gen);
      ASN1_OBJECT_free(oid);
      ASN1_TYPE_free(value);
      check(false, "GENERAL_NAME_set0_othername");
    }
    if (sk_GENERAL_NAME_push(names.get(), gen) <= 0) {  // gen owns oid and value
      GENERAL_NAME_free(gen);
      check(false, "sk_GENERAL_NAME_push");
    }
  }
  check(X509_add1_ext_i2d(cert, NID_subject_alt_name, names.get(), 0, X509V3_ADD_DEFAULT) == 1,
        "subjectAltName");
}

template <typename T, typename Writer>
std::string to_pem(T* object, Writer writer, const char* what) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  check(bio && writer(bio.get(), object) == 1, what);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

template <typename T, typename Encoder>
Bytes to_der(T* object, Encoder encoder, const char* what) {
  const int size = encoder(object, nullptr);
  check(size > 0, what);
  Bytes der(static_cast<std::size_t>(size));
  unsigned char* out = der.data();
  check(encoder(object, &out) == size, what);
  return der;
}

}  // namespace

PkeyPtr generate_rsa_key(unsigned bits) {
  PkeyPtr key(EVP_RSA_gen(bits));
  check(key != nullptr, "EVP_RSA_gen");
  return key;
}

X509Ptr issue_certificate(const CertificateSpec& spec, EVP_PKEY* subject_key, X509* issuer,
                          EVP_PKEY* issuer_key) {
  X509Ptr cert(X509_new());
  check(cert != nullptr, "X509_new");
  check(X509_set_version(cert.get(), X509_VERSION_3) == 1, "X509_set_version");
  check(X509_set_serialNumber(cert.get(), make_integer(spec.serial).get()) == 1, "serial");

  X509_NAME* subject = X509_get_subject_name(cert.get());
  for (const auto& [attribute, value] : spec.subject) {
    check(X509_NAME_add_entry_by_txt(subject, attribute.c_str(), MBSTRING_UTF8,
                                     reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1,
                                     0) == 1,
          "subject " + attribute);
  }
  check(X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : subject) == 1,
        "X509_set_issuer_name");
  check(X509_set1_notBefore(cert.get(), make_time(spec.not_before).get()) == 1, "notBefore");
  check(X509_set1_notAfter(cert.get(), make_time(spec.not_after).get()) == 1, "notAfter");
  check(X509_set_pubkey(cert.get(), subject_key) == 1, "X509_set_pubkey");

  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer ? issuer : cert.get(), cert.get(), nullptr, nullptr, 0);
  if (spec.is_ca) add_conf_extension(cert.get(), &ctx, NID_basic_constraints, "critical,CA:TRUE");
  if (!spec.key_usage.empty()) {
    add_conf_extension(cert.get(), &ctx, NID_key_usage, spec.key_usage);
  }
  add_conf_extension(cert.get(), &ctx, NID_subject_key_identifier, "hash");
  add_conf_extension(cert.get(), &ctx, NID_authority_key_identifier, "keyid:always");
  if (!spec.policies.empty()) add_policies(cert.get(), spec.policies);
  if (!spec.subject_alt_names.empty()) add_other_names(cert.get(), spec.subject_alt_names);

  check(X509_sign(cert.get(), issuer_key, EVP_sha256()) > 0, "X509_sign");
  return cert;
}

X509CrlPtr issue_crl(const CrlSpec& spec, X509* issuer, EVP_PKEY* issuer_key) {
  X509CrlPtr crl(X509_CRL_new());
  check(crl != nullptr, "X509_CRL_new");
  check(X509_CRL_set_version(crl.get(), X509_CRL_VERSION_2) == 1, "X509_CRL_set_version");
  check(X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(issuer)) == 1, "CRL issuer");
  check(X509_CRL_set1_lastUpdate(crl.get(), make_time(spec.this_update).get()) == 1,
        "CRL thisUpdate");
  check(X509_CRL_set1_nextUpdate(crl.get(), make_time(spec.next_update).get()) == 1,
        "CRL nextUpdate");

  for (const auto& entry : spec.revoked) {
    X509_REVOKED* revoked = X509_REVOKED_new();
    check(revoked != nullptr, "X509_REVOKED_new");
    bool ok = X509_REVOKED_set_serialNumber(revoked, make_integer(entry.serial).get()) == 1 &&
              X509_REVOKED_set_revocationDate(revoked, make_time(entry.revoked_at).get()) == 1;
    if (ok && entry.reason_code) {
      ASN1_ENUMERATED* reason = ASN1_ENUMERATED_new();
      ok = reason && ASN1_ENUMERATED_set(reason, *entry.reason_code) == 1 &&
           X509_REVOKED_add1_ext_i2d(revoked, NID_crl_reason, reason, 0, 0) == 1;
      ASN1_ENUMERATED_free(reason);
    }
    if (!ok || X509_CRL_add0_revoked(crl.get(), revoked) != 1) {
      X509_REVOKED_free(revoked);
      check(false, "CRL entry");
    }
  }
  check(X509_CRL_sort(crl.get()) == 1, "X509_CRL_sort");

  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, nullptr, nullptr, crl.get(), 0);
  std::unique_ptr<X509_EXTENSION, ExtensionDeleter> aki(
      X509V3_EXT_conf_nid(nullptr, &ctx, NID_authority_key_identifier, "keyid:always"));
  check(aki && X509_CRL_add_ext(crl.get(), aki.get(), -1) == 1, "CRL authorityKeyIdentifier");
  check(X509_CRL_add1_ext_i2d(crl.get(), NID_crl_number, make_integer(spec.crl_number).get(), 0,
                              X509V3_ADD_DEFAULT) == 1,
        "CRL cRLNumber");

  check(X509_CRL_sign(crl.get(), issuer_key, EVP_sha256()) > 0, "X509_CRL_sign");
  return crl;
}

Bytes certificate_der(X509* cert) { return to_der(cert, i2d_X509, "i2d_X509"); }

std::string certificate_pem(X509* cert) {
  return to_pem(cert, PEM_write_bio_X509, "PEM_write_bio_X509");
}

Bytes crl_der(X509_CRL* crl) { return to_der(crl, i2d_X509_CRL, "i2d_X509_CRL"); }

std::string private_key_pem(EVP_PKEY* key) {
  return to_pem(
      key,
      [](BIO* bio, EVP_PKEY* k) {
        return PEM_write_bio_PrivateKey(bio, k, nullptr, nullptr, 0, nullptr, nullptr);
      },
      "PEM_write_bio_PrivateKey");
}

X509Ptr parse_certificate_der(const Bytes& der) {
  const unsigned char* p = der.data();
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  check(cert != nullptr, "d2i_X509");
  return cert;
}

X509CrlPtr parse_crl_der(const Bytes& der) {
  const unsigned char* p = der.data();
  X509CrlPtr crl(d2i_X509_CRL(nullptr, &p, static_cast<long>(der.size())));
  check(crl != nullptr, "d2i_X509_CRL");
  return crl;
}

}  // namespace zairyu::testpki
