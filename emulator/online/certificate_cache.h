// CertificateCache: what checking a certificate learns that does not depend
// on the time it is checked at (the parsed certificate, its key usage, whether
// and how it chains to the trusted CAs, when its issuer's CRL revoked it),
// kept per certificate keyed by the SHA-256 of its DER. The validity periods
// are not decided here: CheckCertificate compares them with the virtual
// clock on every call. Bounded: when full, the oldest entry is dropped.
// Thread-safe.
#pragma once

#include <openssl/types.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <ctime>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

#include "emulator/online/rejection.h"

namespace zairyu::online {

// The time-independent facts about one certificate DER.
struct CertificateFacts {
  std::shared_ptr<X509> certificate;         // null: the DER does not parse
  std::uint32_t key_usage = 0;               // X509_get_key_usage (all-ones: no extension)
  Check chain_error;                         // RAS-CERT-001 CERTIFICATE_UNTRUSTED, or none
  std::vector<std::shared_ptr<X509>> chain;  // leaf first, up to the trusted root
  std::optional<std::time_t> revoked_at;     // earliest revocation on an issuer's CRL
};

class CertificateCache {
 public:
  using Digest = std::array<std::uint8_t, 32>;  // SHA-256 of the DER

  explicit CertificateCache(std::size_t capacity) : capacity_(capacity) {}

  static Digest DigestOf(std::span<const std::uint8_t> der);

  // The facts stored for `digest`, or null.
  std::shared_ptr<const CertificateFacts> Find(const Digest& digest) const;
  // Stores `facts` (an existing entry for `digest` is kept), dropping the
  // oldest entry when full.
  void Insert(const Digest& digest, std::shared_ptr<const CertificateFacts> facts);
  std::size_t size() const;
  // Forgets every entry (what was learnt may no longer hold, e.g. a new CRL).
  void Clear();

 private:
  const std::size_t capacity_;
  mutable std::mutex mu_;
  std::map<Digest, std::shared_ptr<const CertificateFacts>> entries_;
  std::deque<Digest> order_;  // insertion order, oldest first
};

}  // namespace zairyu::online
