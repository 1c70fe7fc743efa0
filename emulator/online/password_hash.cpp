#include "emulator/online/password_hash.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <array>

#include <fmt/format.h>

namespace zairyu::online {

constexpr int kIterations = 1000;

std::string HashPassword(std::string_view user_id, std::string_view password) {
  std::array<unsigned char, 32> out{};
  PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                    reinterpret_cast<const unsigned char*>(user_id.data()),
                    static_cast<int>(user_id.size()), kIterations, EVP_sha256(),
                    static_cast<int>(out.size()), out.data());
  std::string hex;
  for (unsigned char b : out) hex += fmt::format("{:02x}", b);
  return hex;
}

bool PasswordMatches(std::string_view user_id, std::string_view password,
                     std::string_view stored_hash) {
  const std::string h = HashPassword(user_id, password);
  return h.size() == stored_hash.size() &&
         CRYPTO_memcmp(h.data(), stored_hash.data(), h.size()) == 0;
}

}  // namespace zairyu::online
