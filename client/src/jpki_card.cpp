#include "zairyu/client/jpki_card.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <stdexcept>

#include "iso_ops.h"
#include "sha256.h"
#include "zairyu/client/errors.h"

namespace zairyu::client {

namespace {

constexpr std::array<std::uint8_t, 10> kJpkiAid{0xD3, 0x92, 0xF0, 0x00, 0x26,
                                                0x01, 0x00, 0x00, 0x00, 0x01};
constexpr std::string_view kAppName = "JPKI-AP";
constexpr std::size_t kSignatureSize = 256;  // RSA-2048
constexpr std::size_t kMaxDigestInfo = 245;  // k - 11 for PKCS#1 v1.5

struct CertificateEf {
  std::uint16_t fid;
  std::string_view name;
};

CertificateEf certificate_ef(JpkiCertificate which) {
  switch (which) {
    case JpkiCertificate::kAuth:
      return {0x000A, "EF 000A (auth certificate)"};
    case JpkiCertificate::kAuthCa:
      return {0x000B, "EF 000B (auth CA certificate)"};
    case JpkiCertificate::kSign:
      return {0x0001, "EF 0001 (sign certificate)"};
    case JpkiCertificate::kSignCa:
      return {0x0002, "EF 0002 (sign CA certificate)"};
  }
  throw std::invalid_argument("unknown JPKI certificate");
}

std::uint16_t pin_fid(JpkiKey key) { return key == JpkiKey::kAuth ? 0x0018 : 0x001B; }
std::uint16_t key_fid(JpkiKey key) { return key == JpkiKey::kAuth ? 0x0017 : 0x001A; }
std::string_view pin_name(JpkiKey key) {
  return key == JpkiKey::kAuth ? "auth PIN (0018)" : "sign PIN (001B)";
}

// The PIN bytes the card compares. Auth: 4 digits. Sign: upper-cased as JPKI
// client software does, then 6-16 of A-Z 0-9; a new sign PIN must also hold a
// letter and a digit (jpki.go.jp rule for setting a password).
detail::PinBytes pin_bytes(JpkiKey key, const SecretString& pin, bool is_new) {
  const std::string_view text = pin.reveal();
  if (key == JpkiKey::kAuth) return detail::four_digit_pin(text, "auth PIN");
  if (text.size() < 6 || text.size() > 16) {
    throw PinFormatError("sign PIN must be 6 to 16 characters");
  }
  bool letter = false, digit = false;
  for (char c : text) {
    const bool is_letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    const bool is_digit = c >= '0' && c <= '9';
    if (!is_letter && !is_digit) throw PinFormatError("sign PIN may hold only A-Z and 0-9");
    letter |= is_letter;
    digit |= is_digit;
  }
  if (is_new && !(letter && digit)) {
    throw PinFormatError("new sign PIN must hold at least one letter and one digit");
  }
  detail::PinBytes out(Bytes(text.size()));
  std::transform(text.begin(), text.end(), out.bytes.begin(), [](char c) {
    return static_cast<std::uint8_t>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  });
  return out;
}

}  // namespace

void JpkiCard::select() { detail::select_application(channel_, kJpkiAid, kAppName); }

Bytes JpkiCard::read_certificate(JpkiCertificate which) {
  const CertificateEf ef = certificate_ef(which);
  detail::ensure_application(channel_, kJpkiAid, kAppName);
  detail::select_ef(channel_, ef.fid, ef.name);
  Bytes der = detail::read_ber_object(channel_, kMaxCertificateSize, ef.name);
  if (der[0] != 0x30) {
    throw CardProtocolError(
        fmt::format("{}: not a DER certificate (tag {:02X}, expected 30)", ef.name, der[0]));
  }
  return der;
}

JpkiToken JpkiCard::read_token() {
  detail::ensure_application(channel_, kJpkiAid, kAppName);
  detail::select_ef(channel_, 0x0006, "EF 0006 (token)");
  const Bytes raw = detail::read_binary(channel_, 0, 0x20, "EF 0006 (token)");
  std::size_t end = raw.size();
  while (end > 0 && (raw[end - 1] == ' ' || raw[end - 1] == 0)) --end;
  JpkiToken token;
  for (std::size_t i = 0; i < end; ++i) {
    if (raw[i] < 0x20 || raw[i] > 0x7E) {
      throw CardProtocolError(
          fmt::format("EF 0006 (token): non-printable byte {:02X} at {}", raw[i], i));
    }
    token.name += static_cast<char>(raw[i]);
  }
  if (token.name == "JPKIAPICCTOKEN2") {
    token.kind = JpkiToken::Kind::kMyNumberCard;
  } else if (token.name == "JPKIAPICCTOKEN") {
    token.kind = JpkiToken::Kind::kJukiCard;
  } else if (token.name == "JPKIAPGPSETOKEN") {
    token.kind = JpkiToken::Kind::kAndroid;
  } else if (token.name == "JPKIAPIOSTOKEN") {
    token.kind = JpkiToken::Kind::kIPhone;
  }
  return token;
}

JpkiCertificateFlags JpkiCard::read_certificate_flags() {
  detail::ensure_application(channel_, kJpkiAid, kAppName);
  detail::select_ef(channel_, 0x0008, "EF 0008");
  JpkiCertificateFlags flags;
  flags.raw = detail::read_binary(channel_, 0, 3, "EF 0008");
  flags.sign_certificate_present = flags.raw[0] == 0x8F;
  return flags;
}

PinStatus JpkiCard::pin_status(JpkiKey key) {
  detail::ensure_application(channel_, kJpkiAid, kAppName);
  detail::select_ef(channel_, pin_fid(key), pin_name(key));
  return detail::query_pin_status(channel_, pin_name(key));
}

VerifyResult JpkiCard::verify_pin(JpkiKey key, const SecretString& pin, VerifyOptions options) {
  const detail::PinBytes data = pin_bytes(key, pin, false);
  detail::ensure_application(channel_, kJpkiAid, kAppName);
  detail::select_ef(channel_, pin_fid(key), pin_name(key));
  return detail::verify_current_pin(channel_, data.bytes, options, pin_name(key));
}

VerifyResult JpkiCard::change_pin(JpkiKey key, const SecretString& current,
                                  const SecretString& replacement, VerifyOptions options) {
  const detail::PinBytes fresh = pin_bytes(key, replacement, true);
  const VerifyResult verified = verify_pin(key, current, options);
  if (!verified.ok()) return verified;
  const ResponseApdu r = channel_.transmit(Apdu(0x00, 0x24, 0x01, 0x80, fresh.bytes).sensitive());
  if (!r.ok())
    throw CardStatusError(fmt::format("CHANGE REFERENCE DATA {}", pin_name(key)), r.sw());
  return verified;
}

Bytes JpkiCard::sign(JpkiKey key, ByteView digest_info) {
  if (digest_info.empty() || digest_info.size() > kMaxDigestInfo) {
    throw std::invalid_argument("DigestInfo must be 1 to 245 bytes");
  }
  const std::string_view name = key == JpkiKey::kAuth ? "auth key (0017)" : "sign key (001A)";
  detail::ensure_application(channel_, kJpkiAid, kAppName);
  detail::select_ef(channel_, key_fid(key), name);
  const ResponseApdu r = channel_.transmit(
      Apdu(0x80, 0x2A, 0x00, 0x80, Bytes(digest_info.begin(), digest_info.end()), 256));
  const auto what = [&] { return fmt::format("COMPUTE DIGITAL SIGNATURE with {}", name); };
  if (!r.ok()) throw CardStatusError(what(), r.sw());
  if (r.data().size() != kSignatureSize) {
    throw CardProtocolError(fmt::format("{}: signature is {} bytes, expected {}", what(),
                                        r.data().size(), kSignatureSize));
  }
  return r.data();
}

Bytes digest_info_from_sha256(ByteView hash) {
  if (hash.size() != 32) throw std::invalid_argument("SHA-256 hash must be 32 bytes");
  // SEQUENCE { SEQUENCE { OID 2.16.840.1.101.3.4.2.1, NULL }, OCTET STRING (32) }
  static constexpr std::array<std::uint8_t, 19> kPrefix{0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60,
                                                        0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                                                        0x01, 0x05, 0x00, 0x04, 0x20};
  Bytes out;
  out.reserve(kPrefix.size() + hash.size());
  out.insert(out.end(), kPrefix.begin(), kPrefix.end());
  out.insert(out.end(), hash.begin(), hash.end());
  return out;
}

Bytes sha256_digest_info(ByteView message) {
  return digest_info_from_sha256(detail::sha256(message));
}

}  // namespace zairyu::client
