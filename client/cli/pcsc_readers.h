// What pcscd says about every reader right now, without connecting to any
// card (SCardGetStatusChange with a zero timeout), so listing never disturbs a
// card another program holds, even exclusively.
#pragma once

#include <string>
#include <vector>

#include "zairyu/client/bytes.h"

namespace zairyu::cli {

struct ReaderState {
  std::string name;
  bool card_present = false;
  bool mute = false;       // a card is there but gave no ATR
  bool exclusive = false;  // another program holds it exclusively
  bool in_use = false;     // another program is connected
  client::Bytes atr;       // empty when there is no card
};

// Throws CliError(kNoCard) when pcscd cannot be reached. An empty list means
// pcscd runs but knows no reader.
std::vector<ReaderState> scan_readers();

// Chooses the reader to use: `wanted` is an exact reader name or a part of
// one that matches a single reader; empty = the first reader holding a
// (responsive) card. Throws CliError naming the readers there are when none or
// several fit, or when the chosen reader holds no card and `need_card`.
std::string choose_reader(const std::vector<ReaderState>& readers, const std::string& wanted,
                          bool need_card);

}  // namespace zairyu::cli
