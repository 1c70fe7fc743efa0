#include "emulator/server/resident_registry.h"

#include <utility>

#include "emulator/persona/pki_directory.h"

namespace zairyu::server {

ResidentRegistry::ResidentRegistry(std::filesystem::path personas_dir,
                                   std::filesystem::path pki_dir)
    : personas_dir_(std::move(personas_dir)),
      pki_dir_(std::move(pki_dir)),
      index_(std::make_shared<const Index>()) {}

std::vector<std::string> ResidentRegistry::load() {
  const persona::PkiDirectory pki(pki_dir_);
  auto index = std::make_shared<Index>();
  std::vector<std::string> ids;
  for (persona::Persona& p : persona::load_persona_directory(personas_dir_)) {
    ids.push_back(p.id);
    const auto auth = pki.auth_certificate(p.id);
    if (!std::filesystem::exists(auth)) continue;
    Resident resident;
    const auto sign = pki.sign_certificate(p.id);
    resident.has_signature_certificate = std::filesystem::exists(sign);
    if (resident.has_signature_certificate) {
      index->by_sign.emplace(persona::PkiDirectory::read_bytes(sign), p.id);
    }
    resident.persona = std::move(p);
    index->by_auth.emplace(persona::PkiDirectory::read_bytes(auth), std::move(resident));
  }
  const std::lock_guard lock(mu_);
  index_ = std::move(index);
  return ids;
}

void ResidentRegistry::set_certificate_states(const CertificateStates* states) {
  const std::lock_guard lock(mu_);
  states_ = states;
}

card::Bytes ResidentRegistry::issued_as(card::ByteView certificate,
                                        const CertificateStates* states) {
  if (states != nullptr) {
    if (auto original = states->original_of(certificate)) return std::move(*original);
  }
  return card::Bytes(certificate.begin(), certificate.end());
}

std::optional<Resident> ResidentRegistry::by_auth_certificate(
    card::ByteView auth_certificate) const {
  std::shared_ptr<const Index> index;
  const CertificateStates* states = nullptr;
  {
    const std::lock_guard lock(mu_);
    index = index_;
    states = states_;
  }
  const auto it = index->by_auth.find(issued_as(auth_certificate, states));
  if (it == index->by_auth.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> ResidentRegistry::holder_of_signature_certificate(
    card::ByteView sign_certificate) const {
  std::shared_ptr<const Index> index;
  const CertificateStates* states = nullptr;
  {
    const std::lock_guard lock(mu_);
    index = index_;
    states = states_;
  }
  const auto it = index->by_sign.find(issued_as(sign_certificate, states));
  if (it == index->by_sign.end()) return std::nullopt;
  return it->second;
}

}  // namespace zairyu::server
