// COMPUTE DIGITAL SIGNATURE (80 2A) and GET CHALLENGE (00 84).
#include "emulator/card/card_impl.h"
#include "emulator/card/status_words.h"

namespace zairyu::card {

std::uint16_t CardImpl::compute_digital_signature(const CommandApdu& c, Bytes& out) {
  // P1 00: the input is a DigestInfo, padded as given. P1 01-05 (on-card
  // hashing, PSS; [MC] only) are not emulated.
  if (c.p1 != 0x00) return sw::kWrongP1P2;
  std::uint16_t status = sw::kOk;
  const ElementaryFile* ef = internal_ef(c.p2, EfType::kPrivateKey, &status);
  if (ef == nullptr) return status;
  if (c.data.empty() || c.data.size() > ef->key->max_input()) return sw::kWrongLength;
  if (!verified(*ef->pin)) return sw::kSecurityNotSatisfied;
  if (!ef->key->sign_pkcs1_v15(c.data, out)) return sw::kNoDiagnosis;
  return sw::kOk;
}

std::uint16_t CardImpl::get_challenge(const CommandApdu& c, Bytes& out) {
  if (c.extended) return sw::kConditionsNotSatisfied;  // [MC]: the extended form answers 69 85
  if (c.p1 != 0x00 || c.p2 != 0x00) return sw::kWrongP1P2;
  if (c.apdu_case != ApduCase::k2) return sw::kWrongLength;
  const Bytes challenge = random_->bytes(c.le);
  out.insert(out.end(), challenge.begin(), challenge.end());
  return sw::kOk;
}

}  // namespace zairyu::card
