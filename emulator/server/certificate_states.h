// CertificateStates: the emulator's re-issued card certificates. A test puts
// a persona's user-auth or signature certificate in a state relative to the
// virtual clock: the certificate is re-issued by the test CA (same key and
// extensions, a new serial) as expired or not yet valid, or re-issued and
// put on the CA's CRL (revoked, e.g. the signature certificate after an
// address change). The environment gives the card the re-issued certificate
// and the trust checks the CRL. In memory; cleared by Reset. Thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "emulator/card/bytes.h"
#include "emulator/card/card_profile.h"
#include "emulator/online/clock.h"

namespace zairyu::server {

enum class CertificateKind { kAuth, kSign };
enum class CertificateState { kValid, kExpired, kNotYetValid, kRevoked };

// What a re-issue produced.
struct ReissuedCertificate {
  card::Bytes certificate;  // DER
  std::uint64_t serial = 0;
  online::Instant not_before;
  online::Instant not_after;
  // The emulator's CRL of the issuing CA now (every serial it revoked), when
  // the state is kRevoked.
  std::optional<card::Bytes> crl;
};

class CertificateStates {
 public:
  explicit CertificateStates(std::filesystem::path pki_dir);

  // Re-issues `persona_id`'s certificate in `state` as seen at `now`:
  // kExpired ends 1 day before `now` (valid 5 years), kNotYetValid starts 1
  // day after it, kRevoked keeps the original validity and is revoked at
  // `now`. kValid drops the override (the card's original certificate) and
  // returns nullopt. The persona must have that certificate in the PKI
  // directory; throws std::exception when its files or the CA's do not load.
  std::optional<ReissuedCertificate> set(const std::string& persona_id, CertificateKind kind,
                                         CertificateState state, online::Instant now);
  // Puts the re-issued certificates of `persona_id` into its card profile.
  void apply(const std::string& persona_id, card::CardProfile& profile) const;
  // The original certificate (DER) of a re-issued one, or nullopt.
  std::optional<card::Bytes> original_of(card::ByteView certificate) const;
  // Forgets every override and revocation.
  void clear();

 private:
  struct Revocation {
    std::uint64_t serial;
    online::Instant at;
  };

  const std::filesystem::path pki_dir_;
  mutable std::mutex mu_;
  std::map<std::pair<std::string, CertificateKind>, card::Bytes> reissued_;
  std::map<card::Bytes, card::Bytes> originals_;  // re-issued DER → original DER
  std::map<CertificateKind, std::vector<Revocation>> revoked_;
  std::uint64_t issued_ = 0;  // re-issues since the last clear (serials)
};

}  // namespace zairyu::server
