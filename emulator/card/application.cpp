#include "emulator/card/application.h"

namespace zairyu::card {

Application::Application(std::string name, Bytes aid)
    : name_(std::move(name)), aid_(std::move(aid)) {
  fci_.reserve(aid_.size() + 4);
  fci_.push_back(0x6F);
  fci_.push_back(static_cast<std::uint8_t>(aid_.size() + 2));
  fci_.push_back(0x84);
  fci_.push_back(static_cast<std::uint8_t>(aid_.size()));
  for (std::uint8_t b : aid_) fci_.push_back(b);
}

const ElementaryFile* Application::find(std::uint16_t fid) const {
  for (const auto& ef : files_) {
    if (ef.fid == fid) return &ef;
  }
  return nullptr;
}

const ElementaryFile* Application::find_sfi(std::uint8_t sfi) const {
  if (sfi == 0) return nullptr;
  for (const auto& ef : files_) {
    if (ef.sfi() == sfi) return &ef;
  }
  return nullptr;
}

void Application::add(ElementaryFile ef) { files_.push_back(std::move(ef)); }

}  // namespace zairyu::card
