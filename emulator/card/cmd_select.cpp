// SELECT (00 A4): MF (P1 00), EF by FID under the current DF (P1 02), DF by
// name (P1 04). Other P1 values (01, 03, 08, 09) answer 6A 86: OpenSC PR #801
// found that only P1 02 works on the real card.
#include <algorithm>

#include "emulator/card/card_impl.h"
#include "emulator/card/status_words.h"

namespace zairyu::card {

std::uint16_t CardImpl::select(const CommandApdu& c, Bytes& out) {
  switch (c.p1) {
    case 0x00: {  // MF
      // The card has no selectable MF FID: 3F00 (or any FID) is not found [MC].
      if (!c.data.empty()) return sw::kNotFound;
      if (c.p2 != 0x00 && c.p2 != 0x0C) return sw::kWrongP1P2;
      // Right after reset 6A 86; with an AP current 90 00, DF and EF unchanged [MC].
      return current_df_ == nullptr ? sw::kWrongP1P2 : sw::kOk;
    }
    case 0x02: {  // EF under the current DF
      if (c.p2 != 0x0C) return sw::kWrongP1P2;
      if (c.data.size() != 2) return sw::kWrongLength;
      if (current_df_ == nullptr) return sw::kNotFound;
      const auto fid = static_cast<std::uint16_t>((c.data[0] << 8) | c.data[1]);
      const ElementaryFile* ef = current_df_->find(fid);
      if (ef == nullptr) return sw::kNotFound;  // the current EF stays as it was
      current_ef_ = ef;
      return sw::kOk;
    }
    case 0x04: {  // DF name (AID), full match only
      if (c.p2 != 0x00 && c.p2 != 0x0C) return sw::kWrongP1P2;
      if (c.data.empty()) return sw::kWrongLength;
      const Application* app = nullptr;
      for (const Application* candidate : applications_) {
        if (std::ranges::equal(c.data, candidate->aid())) app = candidate;
      }
      if (app == nullptr) return sw::kNotFound;  // the current DF stays as it was
      enter(app);
      if (c.p2 == 0x00 && c.has_le()) {
        const Bytes& fci = app->fci();
        out.insert(
            out.end(), fci.begin(),
            fci.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(fci.size(), c.le)));
      }
      return sw::kOk;
    }
    default:
      return sw::kWrongP1P2;
  }
}

}  // namespace zairyu::card
