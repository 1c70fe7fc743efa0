// VERIFY (00 20) and CHANGE REFERENCE DATA (00 24) on PIN IEFs.
#include <exception>

#include "emulator/card/card_impl.h"
#include "emulator/card/status_words.h"

namespace zairyu::card {
namespace {

// A PIN IEF holds at most 16 bytes [MC pin.rs]; longer VERIFY data is refused
// as a length error before the reference data is touched (no try spent).
constexpr std::size_t kMaxPinLength = 16;

}  // namespace

std::uint16_t CardImpl::verify(const CommandApdu& c) {
  if (c.p1 != 0x00) return sw::kWrongP1P2;
  std::uint16_t status = sw::kOk;
  const ElementaryFile* ef = internal_ef(c.p2, EfType::kPin, &status);
  if (ef == nullptr) return status;
  const PinId pin = *ef->pin;
  PinCounter& pc = counter(pin);
  try {
    if (c.data.empty()) {  // query the remaining tries; spends nothing
      if (pc.blocked()) return sw::kBlocked;
      if (verified(pin) && options_.empty_verify_after_success_answers_9000) return sw::kOk;
      return sw::tries_left(pc.tries_left());
    }
    if (c.data.size() > kMaxPinLength) return sw::kWrongLength;
    switch (pc.verify(c.data)) {
      case PinCounter::Result::kOk:
        set_verified(pin, true);
        return sw::kOk;
      case PinCounter::Result::kWrong:
        set_verified(pin, false);
        return sw::tries_left(pc.tries_left());
      case PinCounter::Result::kBlocked:
        set_verified(pin, false);
        return sw::kBlocked;
    }
  } catch (const std::exception&) {
    set_verified(pin, false);
    return sw::kMemoryFailure;  // the counter could not be written
  }
  return sw::kNoDiagnosis;
}

std::uint16_t CardImpl::change_reference_data(const CommandApdu& c) {
  // P1 01: data = new value only. P1 00 (old + new) is not emulated.
  if (c.p1 != 0x01) return sw::kWrongP1P2;
  std::uint16_t status = sw::kOk;
  const ElementaryFile* ef = internal_ef(c.p2, EfType::kPin, &status);
  if (ef == nullptr) return status;
  if (c.data.empty()) return sw::kWrongLength;
  const PinId pin = *ef->pin;
  PinCounter& pc = counter(pin);
  try {
    if (pc.blocked()) return sw::kBlocked;
    if (!verified(pin)) return sw::kSecurityNotSatisfied;
    if (!pin_policy(pin).valid_new_value(c.data)) return sw::kWrongData;
    pc.change(c.data);
  } catch (const std::exception&) {
    return sw::kMemoryFailure;
  }
  return sw::kOk;
}

}  // namespace zairyu::card
