#include "zairyu/client/certificate.h"

#include <fmt/format.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <array>
#include <climits>
#include <memory>
#include <string_view>

#include "text_checks.h"
#include "zairyu/client/errors.h"

namespace zairyu::client {

namespace {

constexpr std::string_view kPersonalDataArc = "1.2.392.200149.8.5.5.";

struct X509Deleter {
  void operator()(X509* x) const { X509_free(x); }
};
struct GeneralNamesDeleter {
  void operator()(GENERAL_NAMES* n) const { GENERAL_NAMES_free(n); }
};

// The text of one otherName value, checked.
std::string value_text(const ASN1_TYPE* value, std::string_view oid) {
  if (value == nullptr ||
      (value->type != V_ASN1_UTF8STRING && value->type != V_ASN1_PRINTABLESTRING)) {
    throw CardProtocolError(
        fmt::format("signature certificate: {} is not a UTF8String or PrintableString", oid));
  }
  const ASN1_STRING* s = value->value.asn1_string;
  const ByteView bytes(ASN1_STRING_get0_data(s), static_cast<std::size_t>(ASN1_STRING_length(s)));
  if (bytes.empty() || !detail::is_clean_utf8(bytes)) {
    throw CardProtocolError(
        fmt::format("signature certificate: {} is empty or not clean UTF-8", oid));
  }
  return std::string(bytes.begin(), bytes.end());
}

}  // namespace

SignCertificatePersonalData parse_sign_certificate_personal_data(ByteView der) {
  if (der.empty() || der.size() > INT_MAX) {
    throw CardProtocolError("signature certificate: no data");
  }
  const unsigned char* p = der.data();
  std::unique_ptr<X509, X509Deleter> cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!cert) throw CardProtocolError("signature certificate: not a DER X.509 certificate");
  if (p != der.data() + der.size()) {
    throw CardProtocolError("signature certificate: bytes follow the certificate");
  }
  int critical = 0;
  std::unique_ptr<GENERAL_NAMES, GeneralNamesDeleter> names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(cert.get(), NID_subject_alt_name, &critical, nullptr)));
  if (!names) {
    throw CardProtocolError(critical == -1
                                ? "signature certificate: no subjectAltName"
                                : "signature certificate: subjectAltName repeated or malformed");
  }

  std::array<std::optional<std::string>, 6> found;  // arcs .1 .. .6
  for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    if (name->type != GEN_OTHERNAME) continue;
    std::array<char, 128> oid{};
    const int length =
        OBJ_obj2txt(oid.data(), static_cast<int>(oid.size()), name->d.otherName->type_id, 1);
    if (length <= 0 || static_cast<std::size_t>(length) >= oid.size()) continue;
    const std::string_view text(oid.data(), static_cast<std::size_t>(length));
    if (!text.starts_with(kPersonalDataArc) || text.size() != kPersonalDataArc.size() + 1) {
      continue;  // not ours (other arcs, or .10 and above)
    }
    const int arc = text.back() - '0';
    if (arc < 1 || arc > 6) continue;
    auto& slot = found[static_cast<std::size_t>(arc - 1)];
    if (slot) throw CardProtocolError(fmt::format("signature certificate: {} appears twice", text));
    slot = value_text(name->d.otherName->value, text);
  }
  for (int arc : {1, 3, 4, 5}) {
    if (!found[static_cast<std::size_t>(arc - 1)]) {
      throw CardProtocolError(
          fmt::format("signature certificate: personal data {}{} missing", kPersonalDataArc, arc));
    }
  }
  return SignCertificatePersonalData{*found[0], found[1],  *found[2],
                                     *found[3], *found[4], found[5]};
}

}  // namespace zairyu::client
