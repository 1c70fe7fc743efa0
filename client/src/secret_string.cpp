#include "zairyu/client/secret_string.h"

#include <openssl/crypto.h>

#include <utility>

namespace zairyu::client {

SecretString::SecretString(std::string_view value) : buffer_(value.begin(), value.end()) {}

SecretString::~SecretString() { wipe(); }

SecretString::SecretString(SecretString&& other) noexcept : buffer_(std::move(other.buffer_)) {
  other.wipe();
}

SecretString& SecretString::operator=(SecretString&& other) noexcept {
  if (this != &other) {
    wipe();
    buffer_ = std::move(other.buffer_);
    other.wipe();
  }
  return *this;
}

void SecretString::wipe() noexcept {
  if (!buffer_.empty()) OPENSSL_cleanse(buffer_.data(), buffer_.size());
  buffer_.clear();
}

}  // namespace zairyu::client
