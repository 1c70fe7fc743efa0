// PkiDirectory: path helpers and whole-file readers for the test-PKI layout.
#include "emulator/persona/pki_directory.h"

#include <fstream>
#include <iterator>

namespace zairyu::persona {

namespace fs = std::filesystem;

PkiDirectory::PkiDirectory(fs::path root) : root_(std::move(root)) {}

fs::path PkiDirectory::auth_ca_certificate() const { return root_ / "ca" / "auth-ca.crt.der"; }
fs::path PkiDirectory::auth_ca_certificate_pem() const { return root_ / "ca" / "auth-ca.crt.pem"; }
fs::path PkiDirectory::auth_ca_key() const { return root_ / "ca" / "auth-ca.key.pem"; }
fs::path PkiDirectory::sign_ca_certificate() const { return root_ / "ca" / "sign-ca.crt.der"; }
fs::path PkiDirectory::sign_ca_certificate_pem() const { return root_ / "ca" / "sign-ca.crt.pem"; }
fs::path PkiDirectory::sign_ca_key() const { return root_ / "ca" / "sign-ca.key.pem"; }
fs::path PkiDirectory::auth_crl() const { return root_ / "crl" / "auth.crl.der"; }
fs::path PkiDirectory::sign_crl() const { return root_ / "crl" / "sign.crl.der"; }
fs::path PkiDirectory::persona_dir(std::string_view id) const {
  return root_ / "personas" / fs::path(id);
}
fs::path PkiDirectory::auth_certificate(std::string_view id) const {
  return persona_dir(id) / "auth.crt.der";
}
fs::path PkiDirectory::auth_key(std::string_view id) const {
  return persona_dir(id) / "auth.key.pem";
}
fs::path PkiDirectory::sign_certificate(std::string_view id) const {
  return persona_dir(id) / "sign.crt.der";
}
fs::path PkiDirectory::sign_key(std::string_view id) const {
  return persona_dir(id) / "sign.key.pem";
}

card::Bytes PkiDirectory::read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw PkiDirectoryError(path.string() + ": cannot open");
  card::Bytes bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw PkiDirectoryError(path.string() + ": read error");
  return bytes;
}

std::string PkiDirectory::read_text(const fs::path& path) {
  const card::Bytes bytes = read_bytes(path);
  return std::string(bytes.begin(), bytes.end());
}

}  // namespace zairyu::persona
