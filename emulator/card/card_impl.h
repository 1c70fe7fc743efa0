// CardImpl: the card's operating system. It owns the applications, the PIN
// counters and the volatile state (current DF/EF, security state), checks the
// class byte and dispatches each parsed command to a handler in cmd_*.cpp.
// Handlers append response data to `out` and return the status word; data is
// dropped when the status word is not 90 00.
#pragma once

#include <array>
#include <cstdint>
#include <memory>

#include "emulator/card/card.h"
#include "emulator/card/command_apdu.h"
#include "emulator/card/input_helper_application.h"
#include "emulator/card/jpki_application.h"
#include "emulator/card/pin.h"

namespace zairyu::card {

class CardImpl {
 public:
  CardImpl(const CardProfile& profile, std::shared_ptr<CardStateStore> store,
           std::shared_ptr<RandomSource> random);

  void reset();
  // Replaces `out` with the response APDU. Never throws.
  void transmit(ByteView command, Bytes& out) noexcept;
  Card::PinStatus pin_status(PinId pin) const;

 private:
  std::uint16_t dispatch(const CommandApdu& c, Bytes& out);
  std::uint16_t select(const CommandApdu& c, Bytes& out);
  std::uint16_t read_binary(const CommandApdu& c, Bytes& out);
  std::uint16_t verify(const CommandApdu& c);
  std::uint16_t change_reference_data(const CommandApdu& c);
  std::uint16_t compute_digital_signature(const CommandApdu& c, Bytes& out);
  std::uint16_t get_challenge(const CommandApdu& c, Bytes& out);

  // The IEF a VERIFY / CHANGE REFERENCE DATA / CDS P2 designates: 80 = the
  // current EF, 80|SFI = by short identifier. Sets `*sw` on failure.
  const ElementaryFile* internal_ef(std::uint8_t p2, EfType type, std::uint16_t* sw) const;
  // Makes `app` the current DF (and no EF current).
  void enter(const Application* app);

  PinCounter& counter(PinId pin) { return pins_[static_cast<std::size_t>(pin)]; }
  const PinCounter& counter(PinId pin) const { return pins_[static_cast<std::size_t>(pin)]; }
  bool verified(PinId pin) const { return (verified_ & bit(pin)) != 0; }
  void set_verified(PinId pin, bool on) {
    verified_ = static_cast<std::uint8_t>(on ? (verified_ | bit(pin)) : (verified_ & ~bit(pin)));
  }
  static std::uint8_t bit(PinId pin) {
    return static_cast<std::uint8_t>(1u << static_cast<unsigned>(pin));
  }

  CardOptions options_;
  std::shared_ptr<CardStateStore> store_;
  std::shared_ptr<RandomSource> random_;
  JpkiApplication jpki_;
  InputHelperApplication input_helper_;
  std::array<const Application*, 2> applications_{&jpki_, &input_helper_};
  std::array<PinCounter, 3> pins_;  // indexed by PinId
  // Volatile state, cleared by reset().
  const Application* current_df_ = nullptr;
  const ElementaryFile* current_ef_ = nullptr;
  std::uint8_t verified_ = 0;  // bit per PinId: security status
};

}  // namespace zairyu::card
