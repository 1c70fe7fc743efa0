#include "emulator/online/certificate_cache.h"

#include <openssl/sha.h>

namespace zairyu::online {

CertificateCache::Digest CertificateCache::DigestOf(std::span<const std::uint8_t> der) {
  Digest digest;
  SHA256(der.data(), der.size(), digest.data());
  return digest;
}

std::shared_ptr<const CertificateFacts> CertificateCache::Find(const Digest& digest) const {
  const std::lock_guard lock(mu_);
  const auto it = entries_.find(digest);
  return it == entries_.end() ? nullptr : it->second;
}

void CertificateCache::Insert(const Digest& digest, std::shared_ptr<const CertificateFacts> facts) {
  if (capacity_ == 0) return;
  const std::lock_guard lock(mu_);
  if (!entries_.emplace(digest, std::move(facts)).second) return;
  order_.push_back(digest);
  if (order_.size() > capacity_) {
    entries_.erase(order_.front());
    order_.pop_front();
  }
}

std::size_t CertificateCache::size() const {
  const std::lock_guard lock(mu_);
  return entries_.size();
}

void CertificateCache::Clear() {
  const std::lock_guard lock(mu_);
  entries_.clear();
  order_.clear();
}

}  // namespace zairyu::online
