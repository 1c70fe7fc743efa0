#include "emulator/online/pdf_scan.h"

#include <algorithm>
#include <string>
#include <string_view>

namespace zairyu::online {
namespace {

constexpr std::size_t kHeaderWindow = 1024;

bool IsDelimiterOrSpace(std::uint8_t c) {
  constexpr std::string_view kStops("()<>[]{}/%\0\t\n\f\r ", 17);
  return kStops.find(static_cast<char>(c)) != std::string_view::npos;
}

int HexValue(std::uint8_t c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes the name starting after the '/' at `pos`, stopping once it is
// longer than `limit` (no need to decode more to compare). Moves `pos` to the
// first byte after the name.
std::string DecodeName(Bytes f, std::size_t& pos, std::size_t limit) {
  std::string name;
  while (pos < f.size() && !IsDelimiterOrSpace(f[pos])) {
    std::uint8_t c = f[pos++];
    if (c == '#' && pos + 1 < f.size() && HexValue(f[pos]) >= 0 && HexValue(f[pos + 1]) >= 0) {
      c = static_cast<std::uint8_t>(HexValue(f[pos]) * 16 + HexValue(f[pos + 1]));
      pos += 2;
    }
    if (name.size() <= limit) name.push_back(static_cast<char>(c));
  }
  return name;
}

}  // namespace

bool HasPdfHeader(Bytes file) {
  constexpr std::string_view kMagic = "%PDF-";
  const auto window = file.first(std::min(file.size(), kHeaderWindow));
  return std::search(window.begin(), window.end(), kMagic.begin(), kMagic.end()) != window.end();
}

bool PdfIsProtected(Bytes file) {
  constexpr std::string_view kEncrypt = "Encrypt";
  std::size_t pos = 0;
  while (pos < file.size()) {
    if (file[pos++] != '/') continue;
    if (DecodeName(file, pos, kEncrypt.size()) == kEncrypt) return true;
  }
  return false;
}

}  // namespace zairyu::online
