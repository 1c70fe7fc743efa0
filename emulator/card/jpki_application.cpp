#include "emulator/card/jpki_application.h"

#include <algorithm>
#include <stdexcept>
#include <string_view>

namespace zairyu::card {
namespace {

ElementaryFile binary_ef(std::uint16_t fid, Bytes content, std::optional<PinId> pin = {}) {
  return ElementaryFile{fid, EfType::kBinary, std::move(content), pin, nullptr};
}

ElementaryFile pin_ef(std::uint16_t fid, PinId pin) {
  return ElementaryFile{fid, EfType::kPin, {}, pin, nullptr};
}

ElementaryFile key_ef(std::uint16_t fid, PinId pin, std::string_view pem) {
  return ElementaryFile{fid, EfType::kPrivateKey, {}, pin, RsaPrivateKey::from_pem(pem)};
}

}  // namespace

Bytes jpki_token_ef() {
  constexpr std::string_view kToken = "JPKIAPICCTOKEN2";
  constexpr std::size_t kEfSize = 160;  // [MC]; clients read the first 32 bytes
  Bytes out(kEfSize, ' ');
  std::copy(kToken.begin(), kToken.end(), out.begin());
  return out;
}

Bytes certificate_ef(const Bytes& der, std::size_t size_multiple) {
  Bytes out = der;
  if (size_multiple > 1 && out.size() % size_multiple != 0) {
    out.resize((out.size() / size_multiple + 1) * size_multiple, 0xFF);
  }
  return out;
}

const Bytes& JpkiApplication::kAid() {
  static const Bytes aid{0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01};
  return aid;
}

JpkiApplication::JpkiApplication(const CardProfile& profile) : Application("JPKI-AP", kAid()) {
  const std::size_t filler = profile.options.certificate_ef_size_multiple;
  const bool has_sign = profile.sign_certificate_der.has_value();
  if (has_sign != profile.sign_private_key_pem.has_value()) {
    throw std::invalid_argument(
        "card profile: the sign certificate and the sign private key go together");
  }
  if (has_sign)
    add(binary_ef(0x0001, certificate_ef(*profile.sign_certificate_der, filler), PinId::kJpkiSign));
  add(binary_ef(0x0002, certificate_ef(profile.sign_ca_certificate_der, filler)));
  add(binary_ef(0x0006, jpki_token_ef()));
  // 8F 8F 00 with both certificates ([MC], empirical); first byte 00 without
  // the sign certificate (a card issued to a child under 15).
  add(binary_ef(0x0008, has_sign ? Bytes{0x8F, 0x8F, 0x00} : Bytes{0x00, 0x8F, 0x00}));
  add(binary_ef(0x000A, certificate_ef(profile.auth_certificate_der, filler)));
  add(binary_ef(0x000B, certificate_ef(profile.auth_ca_certificate_der, filler)));
  if (!profile.auth_private_key_pem.empty()) {
    add(key_ef(0x0017, PinId::kJpkiAuth, profile.auth_private_key_pem));
  }
  add(pin_ef(0x0018, PinId::kJpkiAuth));
  if (has_sign) {
    add(key_ef(0x001A, PinId::kJpkiSign, *profile.sign_private_key_pem));
    add(pin_ef(0x001B, PinId::kJpkiSign));
  }
}

}  // namespace zairyu::card
