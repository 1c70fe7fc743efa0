// CardStateDirectory: the --card-state directory, holding one state file per
// persona card (PIN counters, blocked flags, changed PINs), so a card locked
// in one run is still locked in the next, as a real card would be.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "emulator/card/card_state_store.h"

namespace zairyu::server {

// Hands out the file-backed store of a persona's card. The directory is
// created if missing. Thread-compatible; Environment serializes calls.
class CardStateDirectory {
 public:
  explicit CardStateDirectory(std::filesystem::path dir);

  const std::filesystem::path& path() const { return dir_; }
  // The store of `persona_id`'s card ("<dir>/<persona_id>.cardstate").
  // `persona_id` must already be validated as a plain file name.
  std::shared_ptr<card::CardStateStore> open(const std::string& persona_id) const;
  // Deletes every card state file: all cards are as issued again. Files of
  // other kinds in the directory are left alone.
  void clear() const;

 private:
  std::filesystem::path dir_;
};

}  // namespace zairyu::server
