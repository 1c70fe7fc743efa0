// ResidentRegistry: the emulator's stand-in for the residence records the
// real system checks a registration against. One Resident per persona, found
// by the user-authentication certificate its card presents (also when the
// emulator re-issued it, see CertificateStates). Thread-safe: the
// control plane reloads it while handlers read it.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "emulator/card/bytes.h"
#include "emulator/persona/persona.h"
#include "emulator/server/certificate_states.h"

namespace zairyu::server {

// One registered resident and the certificates of their card.
struct Resident {
  persona::Persona persona;
  bool has_signature_certificate = false;  // the card holds one (not under 15)
};

class ResidentRegistry {
 public:
  ResidentRegistry(std::filesystem::path personas_dir, std::filesystem::path pki_dir);

  // (Re)reads every persona and its certificates from the test PKI. A persona
  // without PKI files is registered but no certificate finds it. Throws
  // persona::PersonaError or std::exception; the old registry stays then.
  // Returns the persona IDs.
  std::vector<std::string> load();
  // Certificates `states` re-issued count as the originals they replace
  // (null: none). `states` must outlive the registry.
  void set_certificate_states(const CertificateStates* states);
  // The resident whose card holds `auth_certificate` (DER), if any.
  std::optional<Resident> by_auth_certificate(card::ByteView auth_certificate) const;
  // The persona ID whose card holds `sign_certificate` (DER), if any.
  std::optional<std::string> holder_of_signature_certificate(card::ByteView sign_certificate) const;

 private:
  struct Index {
    std::map<card::Bytes, Resident> by_auth;     // auth certificate DER → resident
    std::map<card::Bytes, std::string> by_sign;  // sign certificate DER → persona ID
  };

  // `certificate`, or the original it was re-issued from.
  static card::Bytes issued_as(card::ByteView certificate, const CertificateStates* states);

  const std::filesystem::path personas_dir_;
  const std::filesystem::path pki_dir_;
  mutable std::mutex mu_;
  std::shared_ptr<const Index> index_;
  const CertificateStates* states_ = nullptr;
};

}  // namespace zairyu::server
