// READ BINARY (00 B0): offset form (P1 bit 8 clear, 15-bit offset in P1-P2) and
// SFI form (P1 = 80|SFI, P2 = offset; makes the EF current).
#include <algorithm>

#include "emulator/card/card_impl.h"
#include "emulator/card/status_words.h"

namespace zairyu::card {

std::uint16_t CardImpl::read_binary(const CommandApdu& c, Bytes& out) {
  // Only case 2: the odd-INS / data-field forms are not supported.
  if (c.apdu_case != ApduCase::k2) return sw::kWrongLength;
  if (c.extended && !options_.extended_length) return sw::kWrongLength;
  const ElementaryFile* ef = nullptr;
  std::size_t offset = 0;
  if ((c.p1 & 0x80) != 0) {
    const std::uint8_t sfi = c.p1 & 0x1F;
    if ((c.p1 & 0x60) != 0 || sfi == 0 || sfi == 0x1F) return sw::kWrongP1P2;
    if (current_df_ != nullptr) ef = current_df_->find_sfi(sfi);
    if (ef == nullptr) return sw::kNotFound;
    current_ef_ = ef;
    offset = c.p2;
  } else {
    ef = current_ef_;
    if (ef == nullptr) return sw::kNoCurrentEf;
    offset = (static_cast<std::size_t>(c.p1) << 8) | c.p2;
  }
  // A PIN or key IEF is never readable: "command incompatible with file structure".
  if (ef->type != EfType::kBinary) return sw::kIncompatibleFile;
  if (ef->pin && !verified(*ef->pin)) return sw::kSecurityNotSatisfied;
  const Bytes& content = ef->content;
  if (offset >= content.size()) {
    return options_.eof_answers_6282 ? sw::kEndOfFile : sw::kWrongOffset;
  }
  // At the end of the file the card answers fewer bytes than Le, with 90 00.
  const std::size_t count = std::min<std::size_t>(c.le, content.size() - offset);
  const auto first = content.begin() + static_cast<std::ptrdiff_t>(offset);
  out.insert(out.end(), first, first + static_cast<std::ptrdiff_t>(count));
  return sw::kOk;
}

}  // namespace zairyu::card
