// RsaPrivateKey: an RSA private key parsed once from PEM, performing the card's
// COMPUTE DIGITAL SIGNATURE primitive (PKCS#1 v1.5 type-1 padding of the input
// as given, then the raw private operation).
#pragma once

#include <memory>
#include <string_view>

#include "emulator/card/bytes.h"

typedef struct evp_pkey_st EVP_PKEY;

namespace zairyu::card {

// Owns one EVP_PKEY; immutable after parsing, so cards may share it.
class RsaPrivateKey {
 public:
  // Parses a PEM private key (PKCS#8 or traditional RSA). Throws
  // std::invalid_argument when it is not an RSA private key.
  static std::shared_ptr<const RsaPrivateKey> from_pem(std::string_view pem);
  ~RsaPrivateKey();
  RsaPrivateKey(const RsaPrivateKey&) = delete;
  RsaPrivateKey& operator=(const RsaPrivateKey&) = delete;

  // k: the modulus length in bytes (256 for RSA-2048).
  std::size_t modulus_bytes() const { return modulus_bytes_; }
  // Largest input the padding allows: k - 11.
  std::size_t max_input() const { return modulus_bytes_ - 11; }
  // Appends the k-byte signature of `input` to `out`. The input is signed as
  // given (no hashing, no DigestInfo added), like RSA_private_encrypt.
  // Returns false if OpenSSL fails (e.g. input longer than max_input()).
  bool sign_pkcs1_v15(ByteView input, Bytes& out) const;

 private:
  explicit RsaPrivateKey(EVP_PKEY* key);
  EVP_PKEY* key_;
  std::size_t modulus_bytes_;
};

}  // namespace zairyu::card
