// ElementaryFile: one EF of an application, as a row of the application's file
// table: a transparent (binary) EF, a PIN internal EF or a private-key internal EF.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "emulator/card/bytes.h"
#include "emulator/card/card_state_store.h"
#include "emulator/card/rsa_key.h"

namespace zairyu::card {

// What kind of EF a table row is; it decides which commands may use it.
enum class EfType : std::uint8_t {
  kBinary,      // READ BINARY
  kPin,         // VERIFY / CHANGE REFERENCE DATA
  kPrivateKey,  // COMPUTE DIGITAL SIGNATURE
};

// One row of an application's file table: identity, body and access rule.
struct ElementaryFile {
  std::uint16_t fid = 0;
  EfType type = EfType::kBinary;
  // kBinary: the file body. Sizes are fixed at personalization.
  Bytes content;
  // kBinary: the PIN that must be verified before READ BINARY (none = free).
  // kPrivateKey: the PIN that must be verified before signing.
  // kPin: the PIN this IEF holds.
  std::optional<PinId> pin;
  // kPrivateKey only.
  std::shared_ptr<const RsaPrivateKey> key;

  // Short EF identifier: FIDs 0001..001E are addressable as SFI = FID
  // (e.g. READ BINARY 00 B0 8A = EF 000A, VERIFY 00 20 00 98 = IEF 0018).
  std::uint8_t sfi() const { return fid >= 1 && fid <= 0x1E ? static_cast<std::uint8_t>(fid) : 0; }
};

}  // namespace zairyu::card
