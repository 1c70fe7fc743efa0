#include "zairyu/client/jpki_signer.h"

namespace zairyu::client {
namespace {

std::string describe(JpkiKey key, const VerifyResult& result) {
  const std::string pin = key == JpkiKey::kAuth ? "auth PIN" : "sign PIN";
  switch (result.outcome) {
    case VerifyResult::Outcome::kVerified:
      return pin + " verified";
    case VerifyResult::Outcome::kWrongPin:
      return "wrong PIN: " + std::to_string(result.tries_left.value_or(0)) + " tries left (" + pin +
             ")";
    case VerifyResult::Outcome::kBlocked:
      return "the " + pin + " is blocked";
    case VerifyResult::Outcome::kRefusedLastTry:
      return "only one try of the " + pin + " is left: not sent (force the last try to use it)";
  }
  return pin + " refused";
}

}  // namespace

PinRefusedError::PinRefusedError(JpkiKey key, VerifyResult result)
    : std::runtime_error(describe(key, result)), key_(key), result_(result) {}

JpkiSigner::JpkiSigner(JpkiCard& card, JpkiKey key, SecretString pin, VerifyOptions options)
    : card_(card), key_(key), pin_(std::move(pin)), options_(options) {}

// The card keeps a verified PIN until it loses its security state, which the
// transport reports as a new session; only then is the PIN presented again.
// A refusal wipes the PIN so that it can never be sent a second time.
void JpkiSigner::ensure_verified() {
  if (verified_session_ && *verified_session_ == card_.channel().session()) return;
  if (refused_) throw PinRefusedError(key_, *refused_);
  const VerifyResult result = card_.verify_pin(key_, pin_, options_);
  if (!result.ok()) {
    refused_ = result;
    pin_ = SecretString();
    throw PinRefusedError(key_, result);
  }
  verified_session_ = card_.channel().session();
}

Bytes JpkiSigner::certificate() {
  if (!certificate_) {
    if (key_ == JpkiKey::kSign) ensure_verified();
    certificate_ = card_.read_certificate(key_ == JpkiKey::kAuth ? JpkiCertificate::kAuth
                                                                 : JpkiCertificate::kSign);
  }
  return *certificate_;
}

Bytes JpkiSigner::sign(ByteView message) {
  ensure_verified();
  return card_.sign(key_, sha256_digest_info(message));
}

}  // namespace zairyu::client
