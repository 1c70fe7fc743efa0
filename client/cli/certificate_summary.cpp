#include "certificate_summary.h"

#include <fmt/format.h>
#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <ctime>
#include <memory>

#include "cli_error.h"

namespace zairyu::cli {
namespace {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using BignumPtr = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;

[[noreturn]] void bad_certificate(const char* what) {
  throw CliError(ExitCode::kCardError, "bad_certificate",
                 fmt::format("the card's certificate does not parse: {}", what));
}

X509Ptr parse(client::ByteView der) {
  const unsigned char* p = der.data();
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!cert) bad_certificate("not DER X.509");
  if (p != der.data() + der.size()) bad_certificate("bytes after the certificate");
  return cert;
}

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::string name_text(const X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) < 0) {
    bad_certificate("name");
  }
  return bio_text(bio.get());
}

std::string time_text(const ASN1_TIME* time) {
  std::tm tm{};
  if (!ASN1_TIME_to_tm(time, &tm)) bad_certificate("validity time");
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

std::string serial_text(const ASN1_INTEGER* serial) {
  BignumPtr bn(ASN1_INTEGER_to_BN(serial, nullptr));
  if (!bn) bad_certificate("serial number");
  char* hex = BN_bn2hex(bn.get());
  if (hex == nullptr) bad_certificate("serial number");
  std::string out(hex);
  OPENSSL_free(hex);
  return out;
}

}  // namespace

nlohmann::json CertificateSummary::to_json() const {
  return {{"subject", subject},       {"issuer", issuer},       {"serial", serial},
          {"not_before", not_before}, {"not_after", not_after}, {"sha256", sha256}};
}

CertificateSummary summarize_certificate(client::ByteView der) {
  const X509Ptr cert = parse(der);
  CertificateSummary s;
  s.subject = name_text(X509_get_subject_name(cert.get()));
  s.issuer = name_text(X509_get_issuer_name(cert.get()));
  s.serial = serial_text(X509_get0_serialNumber(cert.get()));
  s.not_before = time_text(X509_get0_notBefore(cert.get()));
  s.not_after = time_text(X509_get0_notAfter(cert.get()));
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (!EVP_Digest(der.data(), der.size(), digest, &length, EVP_sha256(), nullptr)) {
    bad_certificate("SHA-256");
  }
  for (unsigned int i = 0; i < length; ++i) s.sha256 += fmt::format("{:02x}", digest[i]);
  return s;
}

std::string certificate_pem(client::ByteView der) {
  // The card's bytes as they are (not re-encoded from a parsed certificate).
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio ||
      PEM_write_bio(bio.get(), "CERTIFICATE", "", der.data(), static_cast<long>(der.size())) <= 0) {
    throw CliError(ExitCode::kInternal, "internal", "PEM encoding failed");
  }
  return bio_text(bio.get());
}

}  // namespace zairyu::cli
