#include "emulator/card/pin.h"

#include <algorithm>

namespace zairyu::card {
namespace {

bool four_digits(ByteView v) {
  return v.size() == 4 &&
         std::all_of(v.begin(), v.end(), [](std::uint8_t b) { return b >= '0' && b <= '9'; });
}

// The card checks only the alphabet and length; "at least one letter and one
// digit" is enforced by the issuing software (jpki.go.jp), not here.
bool sign_password(ByteView v) {
  return v.size() >= 6 && v.size() <= 16 && std::all_of(v.begin(), v.end(), [](std::uint8_t b) {
           return (b >= '0' && b <= '9') || (b >= 'A' && b <= 'Z');
         });
}

constexpr PinPolicy kAuthPolicy{3, four_digits};
constexpr PinPolicy kSignPolicy{5, sign_password};
constexpr PinPolicy kInputHelperPolicy{3, four_digits};

}  // namespace

const PinPolicy& pin_policy(PinId pin) {
  switch (pin) {
    case PinId::kJpkiAuth:
      return kAuthPolicy;
    case PinId::kJpkiSign:
      return kSignPolicy;
    case PinId::kInputHelper:
      break;
  }
  return kInputHelperPolicy;
}

PinCounter::PinCounter(PinId id, std::string issued_value, CardStateStore& store)
    : id_(id), policy_(&pin_policy(id)), issued_value_(std::move(issued_value)), store_(&store) {}

PinRecord PinCounter::record() const {
  if (auto stored = store_->load(id_)) {
    stored->tries_left = std::clamp(stored->tries_left, 0, policy_->max_tries);
    return *stored;
  }
  return PinRecord{policy_->max_tries, std::nullopt};
}

int PinCounter::tries_left() const { return record().tries_left; }

PinCounter::Result PinCounter::verify(ByteView candidate) {
  PinRecord rec = record();
  if (rec.tries_left == 0) return Result::kBlocked;
  const std::string& reference = rec.changed_value ? *rec.changed_value : issued_value_;
  const int before = rec.tries_left;
  rec.tries_left = before - 1;
  store_->save(id_, rec);
  const bool match =
      std::equal(candidate.begin(), candidate.end(), reference.begin(), reference.end(),
                 [](std::uint8_t a, char b) { return a == static_cast<std::uint8_t>(b); });
  if (!match) return Result::kWrong;
  rec.tries_left = policy_->max_tries;
  store_->save(id_, rec);
  return Result::kOk;
}

void PinCounter::change(ByteView new_value) {
  PinRecord rec = record();
  rec.tries_left = policy_->max_tries;
  rec.changed_value = std::string(new_value.begin(), new_value.end());
  store_->save(id_, rec);
}

}  // namespace zairyu::card
