#include "emulator/card/input_helper_application.h"

#include "emulator/card/input_helper_encoding.h"

namespace zairyu::card {

const Bytes& InputHelperApplication::kAid() {
  static const Bytes aid{0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08};
  return aid;
}

InputHelperApplication::InputHelperApplication(const CardProfile& profile)
    : Application("input-helper-AP", kAid()) {
  add(ElementaryFile{0x0001, EfType::kBinary, encode_my_number_ef(profile.my_number),
                     PinId::kInputHelper, nullptr});
  add(ElementaryFile{0x0002, EfType::kBinary, encode_basic_four_ef(profile.basic_four),
                     PinId::kInputHelper, nullptr});
  add(ElementaryFile{0x0011, EfType::kPin, {}, PinId::kInputHelper, nullptr});
}

}  // namespace zairyu::card
