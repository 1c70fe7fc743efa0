// fuzz_attachment: the online system's checks of uploaded files
// (emulator/online/attachment_rules.h, pdf_scan.h) and its geo-table parser
// (geo_table.h): pure functions over untrusted bytes. Input layout: byte 0
// picks the date (before or after the 2026-01-05 rule change), byte 1 the
// length of a file name taken from the following bytes, the rest is the file's
// content; the whole input is also parsed as a geo table. Invariants: one
// verdict per file; a verdict is an error file only for a .pdf name. The
// encryption scan (PdfIsProtected) also runs on the content whatever its
// name: a literal "/Encrypt" name (followed by a delimiter or the end) is
// always found, and a file without any '/' is never protected.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "emulator/online/attachment_rules.h"
#include "emulator/online/geo_table.h"
#include "emulator/online/pdf_scan.h"

namespace online = zairyu::online;

namespace {

// Whether `content` holds the literal name /Encrypt, ended by a PDF delimiter,
// white space or the end of the file.
bool names_encrypt_literally(std::string_view content) {
  constexpr std::string_view kName = "/Encrypt";
  constexpr std::string_view kStops("()<>[]{}/%\0\t\n\f\r ", 17);
  for (auto at = content.find(kName); at != std::string_view::npos;
       at = content.find(kName, at + 1)) {
    const std::size_t end = at + kName.size();
    if (end == content.size() || kStops.find(content[end]) != std::string_view::npos) return true;
  }
  return false;
}

void check_pdf_scans(const online::Bytes& content) {
  const std::string_view text(reinterpret_cast<const char*>(content.data()), content.size());
  const bool is_protected = online::PdfIsProtected(content);
  if (names_encrypt_literally(text) && !is_protected) std::abort();
  if (text.find('/') == std::string_view::npos && is_protected) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const online::Date today =
      data[0] & 1
          ? online::Date{std::chrono::year{2026}, std::chrono::January, std::chrono::day{5}}
          : online::Date{std::chrono::year{2025}, std::chrono::December, std::chrono::day{1}};
  const std::size_t name_length = std::min<std::size_t>(data[1], size - 2);
  online::AttachmentUpload upload;
  upload.photo_size = data[0] >> 1;
  online::AttachmentFile file;
  file.file_name.assign(reinterpret_cast<const char*>(data + 2), name_length);
  file.content = online::Bytes(data + 2 + name_length, size - 2 - name_length);
  upload.files.push_back(file);

  check_pdf_scans(file.content);
  const online::FileVerdict verdict = online::ClassifyFile(file);
  if (verdict.status == online::FileStatus::kErrorFile &&
      online::FileExtension(file.file_name) != "pdf") {
    std::abort();
  }
  const auto checked = online::CheckAttachments(upload, today);
  if (checked.ok() && checked.value().size() != 1) std::abort();

  (void)online::ParseGeoTable(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
