#include "emulator/server/card_state_directory.h"

#include <utility>

namespace zairyu::server {
namespace {
constexpr const char* kSuffix = ".cardstate";
}  // namespace

CardStateDirectory::CardStateDirectory(std::filesystem::path dir) : dir_(std::move(dir)) {
  std::filesystem::create_directories(dir_);
}

std::shared_ptr<card::CardStateStore> CardStateDirectory::open(
    const std::string& persona_id) const {
  return std::make_shared<card::FileCardStateStore>((dir_ / (persona_id + kSuffix)).string());
}

void CardStateDirectory::clear() const {
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    if (entry.is_regular_file() && entry.path().extension() == kSuffix) {
      std::filesystem::remove(entry.path());
    }
  }
}

}  // namespace zairyu::server
