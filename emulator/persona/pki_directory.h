// The on-disk layout written by tools/pki (zairyu-pki); other components
// depend on it, so it is fixed:
//   ca/auth-ca.crt.der ca/auth-ca.crt.pem ca/auth-ca.key.pem
//   ca/sign-ca.crt.der ca/sign-ca.crt.pem ca/sign-ca.key.pem
//   crl/auth.crl.der   crl/sign.crl.der
//   personas/<id>/auth.crt.der auth.key.pem [sign.crt.der sign.key.pem]
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

#include "emulator/card/bytes.h"

namespace zairyu::persona {

// A file of the PKI directory is missing or unreadable, or does not fit.
class PkiDirectoryError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Paths into one generated test-PKI directory, plus file readers.
class PkiDirectory {
 public:
  explicit PkiDirectory(std::filesystem::path root);

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path auth_ca_certificate() const;  // DER
  std::filesystem::path auth_ca_certificate_pem() const;
  std::filesystem::path auth_ca_key() const;          // PEM, PKCS#8
  std::filesystem::path sign_ca_certificate() const;  // DER
  std::filesystem::path sign_ca_certificate_pem() const;
  std::filesystem::path sign_ca_key() const;  // PEM, PKCS#8
  std::filesystem::path auth_crl() const;     // DER
  std::filesystem::path sign_crl() const;     // DER
  std::filesystem::path persona_dir(std::string_view persona_id) const;
  std::filesystem::path auth_certificate(std::string_view persona_id) const;  // DER
  std::filesystem::path auth_key(std::string_view persona_id) const;          // PEM
  std::filesystem::path sign_certificate(std::string_view persona_id) const;  // DER
  std::filesystem::path sign_key(std::string_view persona_id) const;          // PEM

  // Whole file contents; throw PkiDirectoryError when it cannot be read.
  static card::Bytes read_bytes(const std::filesystem::path& path);
  static std::string read_text(const std::filesystem::path& path);

 private:
  std::filesystem::path root_;
};

}  // namespace zairyu::persona
