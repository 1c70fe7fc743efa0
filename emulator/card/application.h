// Application: one DF selectable by AID, with its table of EFs. The ISO 7816
// commands (card.cpp and cmd_*.cpp) work on any Application; JPKI and the
// input helper only differ in their tables (jpki_application.cpp,
// input_helper_application.cpp), the way OpenSC drivers override a generic
// ISO driver with small tables.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "emulator/card/bytes.h"
#include "emulator/card/elementary_file.h"

namespace zairyu::card {

class Application {
 public:
  virtual ~Application() = default;
  Application(const Application&) = delete;
  Application& operator=(const Application&) = delete;

  std::string_view name() const { return name_; }
  const Bytes& aid() const { return aid_; }
  // The FCI template answered to SELECT with P2 = 00: 6F L 84 L <AID>.
  const Bytes& fci() const { return fci_; }

  // nullptr when absent.
  const ElementaryFile* find(std::uint16_t fid) const;
  const ElementaryFile* find_sfi(std::uint8_t sfi) const;
  const std::vector<ElementaryFile>& files() const { return files_; }

 protected:
  Application(std::string name, Bytes aid);
  void add(ElementaryFile ef);

 private:
  std::string name_;
  Bytes aid_;
  Bytes fci_;
  std::vector<ElementaryFile> files_;
};

}  // namespace zairyu::card
