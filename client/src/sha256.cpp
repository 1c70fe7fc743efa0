#include "sha256.h"

#include <openssl/evp.h>

#include <stdexcept>

namespace zairyu::client::detail {
namespace {

// OpenSSL 3 looks EVP_sha256() up in its provider tables on every digest;
// an explicitly fetched EVP_MD skips that. Fetched once, kept for the
// process's lifetime (EVP_MD objects are thread-safe to share).
const EVP_MD* sha256_md() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (!md) throw std::runtime_error("SHA-256 is not available");
  return md;
}

}  // namespace

std::array<std::uint8_t, 32> sha256(ByteView data) {
  std::array<std::uint8_t, 32> hash{};
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), hash.data(), &size, sha256_md(), nullptr) != 1 ||
      size != hash.size()) {
    throw std::runtime_error("SHA-256 failed");
  }
  return hash;
}

}  // namespace zairyu::client::detail
