// SecretString: holds a PIN or password and wipes it when destroyed.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace zairyu::client {

// A move-only secret. Its buffer is allocated once and cleared with
// OPENSSL_cleanse on destruction and on move-from. It has no stream or fmt
// output on purpose: a secret cannot end up in a log by accident.
class SecretString {
 public:
  SecretString() = default;
  explicit SecretString(std::string_view value);
  ~SecretString();
  SecretString(SecretString&& other) noexcept;
  SecretString& operator=(SecretString&& other) noexcept;
  SecretString(const SecretString&) = delete;
  SecretString& operator=(const SecretString&) = delete;

  // The secret itself; only for building the APDU that carries it.
  std::string_view reveal() const noexcept { return {buffer_.data(), buffer_.size()}; }
  std::size_t size() const noexcept { return buffer_.size(); }
  bool empty() const noexcept { return buffer_.empty(); }

 private:
  void wipe() noexcept;
  std::vector<char> buffer_;
};

}  // namespace zairyu::client
