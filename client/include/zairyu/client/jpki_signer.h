// JpkiSigner: a CardSigner over one key of the JPKI application.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>

#include "zairyu/client/jpki_card.h"
#include "zairyu/client/online_client.h"

namespace zairyu::client {

// The card did not accept the PIN (wrong, blocked, or refused by the client
// because only one try was left). Carries the VERIFY result; never the PIN.
class PinRefusedError : public std::runtime_error {
 public:
  PinRefusedError(JpkiKey key, VerifyResult result);
  JpkiKey key() const noexcept { return key_; }
  const VerifyResult& result() const noexcept { return result_; }

 private:
  JpkiKey key_;
  VerifyResult result_;
};

// Signs with the auth or sign key. The PIN is presented once, before the
// first signature after construction or after the card lost its security
// state (a reset: the transport's session changed); a refused PIN throws
// PinRefusedError, is wiped and never sent again (every later call throws the
// same PinRefusedError). A CardResetError in the middle of a call propagates
// (the command did not run); the next call presents the PIN again.
// The certificate is read once (auth: free; sign: after the PIN).
class JpkiSigner : public CardSigner {
 public:
  JpkiSigner(JpkiCard& card, JpkiKey key, SecretString pin, VerifyOptions options = {});
  Bytes certificate() override;
  Bytes sign(ByteView message) override;

 private:
  void ensure_verified();

  JpkiCard& card_;
  JpkiKey key_;
  SecretString pin_;
  VerifyOptions options_;
  std::optional<Bytes> certificate_;
  std::optional<std::uint64_t> verified_session_;
  std::optional<VerifyResult> refused_;
};

}  // namespace zairyu::client
