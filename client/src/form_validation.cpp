// validate_form and attachment_warnings: the local checks. Each refusal here
// is one the server makes too (online.proto, emulator REQUEST_INVALID and the
// RAS rules that do not depend on the date or the user), so a form that
// passes may still be refused, but a refused one would never be accepted.
#include <algorithm>
#include <array>
#include <chrono>

#include "zairyu/client/application_form.h"

namespace zairyu::client {
namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;
// RAS-ATT-002 (from 2026-01-05): files and photo at most 25 MiB together.
// Before that date one file of at most 10 MiB was allowed, so a larger total
// is refused under both regimes.
constexpr std::uint64_t kTotalLimit = 25 * kMiB;

// RAS-ATT-005.
constexpr std::array<std::string_view, 24> kBlockedExtensions{
    "zip", "xlsm", "bat", "pif", "scr",  "com", "cmd", "vbs", "job", "hta", "cpl", "exe",
    "lzh", "docm", "js",  "wsf", "pptm", "jar", "lnk", "chm", "swf", "svg", "jse", "vbe"};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

void check_date(const std::string& text, const std::string& field, bool required,
                std::vector<FieldViolation>& out) {
  if (text.empty()) {
    if (required) out.push_back({field, "is required (YYYY-MM-DD)"});
    return;
  }
  if (!is_calendar_date(text)) out.push_back({field, "must be a calendar date YYYY-MM-DD"});
}

// The lower-case extension after the last dot, ignoring trailing dots and
// spaces as Windows does ("a.exe. " is an .exe), as the server reads it.
std::string extension(std::string_view name) {
  while (!name.empty() && (name.back() == '.' || name.back() == ' ')) name.remove_suffix(1);
  const auto dot = name.find_last_of('.');
  if (dot == std::string_view::npos) return {};
  std::string ext(name.substr(dot + 1));
  for (char& c : ext) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return ext;
}

}  // namespace

bool is_calendar_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!is_digit(text[i])) return false;
  }
  const auto number = [&](std::size_t at, std::size_t n) {
    unsigned v = 0;
    for (std::size_t i = at; i < at + n; ++i) v = v * 10 + static_cast<unsigned>(text[i] - '0');
    return v;
  };
  const std::chrono::year_month_day date{std::chrono::year{static_cast<int>(number(0, 4))},
                                         std::chrono::month{number(5, 2)},
                                         std::chrono::day{number(8, 2)}};
  return date.ok();
}

std::vector<FieldViolation> validate_form(const ApplicationForm& form) {
  std::vector<FieldViolation> out;
  const Applicant& a = form.applicant;
  check_date(a.birth_date, "applicant.birth_date", true, out);
  check_date(a.stay_expires_on, "applicant.stay_expires_on", false, out);
  if (a.status && a.status->name.empty()) {
    out.push_back({"applicant.status.name", "is required when a status is given"});
  }
  if (form.requested_status && form.requested_status->name.empty()) {
    out.push_back({"requested_status.name", "is required when a status is given"});
  }
  if (const auto& p = a.period_of_stay; p && (p->years < 0 || p->months < 0 || p->days < 0)) {
    out.push_back({"applicant.period_of_stay", "must not be negative"});
  }

  // RAS-PROC-006: at least one procedure, none twice.
  if (form.procedures.empty()) out.push_back({"procedures", "at least one procedure is required"});
  for (std::size_t i = 0; i < form.procedures.size(); ++i) {
    const auto first =
        std::find(form.procedures.begin(), form.procedures.end(), form.procedures[i]);
    if (static_cast<std::size_t>(first - form.procedures.begin()) != i) {
      out.push_back({"procedures[" + std::to_string(i) + "]",
                     to_string(form.procedures[i]) + " (" + japanese_name(form.procedures[i]) +
                         ") is listed twice"});
    }
  }

  if (form.delivery == ApplicationForm::Delivery::kPost && form.postal_address.empty()) {
    out.push_back({"postal_address", "is required for delivery by post"});
  }

  std::uint64_t total = form.photo_size;
  for (std::size_t i = 0; i < form.attachments.size(); ++i) {
    const AttachmentFile& file = form.attachments[i];
    const std::string at = "attachments[" + std::to_string(i) + "]";
    if (file.path.empty()) out.push_back({at + ".path", "is required"});
    if (file.file_name.empty()) {
      out.push_back({at + ".file_name", "must not be empty (RAS-ATT-005)"});
    } else if (const std::string ext = extension(file.file_name);
               std::find(kBlockedExtensions.begin(), kBlockedExtensions.end(), ext) !=
               kBlockedExtensions.end()) {
      out.push_back({at + ".file_name", "." + ext + " files are refused (RAS-ATT-005)"});
    }
    total += file.content.size();
  }
  if (total > kTotalLimit) {
    out.push_back({"attachments", "files and photo together are " + std::to_string(total) +
                                      " bytes, more than 25 MiB (RAS-ATT-002)"});
  }
  return out;
}

std::vector<FieldViolation> attachment_warnings(const ApplicationForm& form) {
  std::vector<FieldViolation> out;
  constexpr std::string_view kPdfMagic = "%PDF-";
  for (std::size_t i = 0; i < form.attachments.size(); ++i) {
    const AttachmentFile& file = form.attachments[i];
    const std::string at = "attachments[" + std::to_string(i) + "]";
    if (extension(file.file_name) != "pdf") {
      out.push_back({at + ".file_name", "is not a .pdf: refused before 2026-01-05 (RAS-ATT-001)"});
      continue;
    }
    const std::string_view content(reinterpret_cast<const char*>(file.content.data()),
                                   file.content.size());
    if (content.substr(0, 1024).find(kPdfMagic) == std::string_view::npos) {
      out.push_back({at + ".path",
                     "has no %PDF- header in its first 1024 bytes: the server will "
                     "mark it an error file (RAS-ATT-003)"});
    } else if (content.find("/Encrypt") != std::string_view::npos) {
      out.push_back({at + ".path",
                     "may be protected (it names /Encrypt): a protected PDF is "
                     "marked an error file (RAS-ATT-004)"});
    }
    if (file.content.size() > 10 * kMiB) {
      out.push_back(
          {at + ".path", "is larger than 10 MiB: refused before 2026-01-05 (RAS-ATT-001)"});
    }
  }
  if (form.attachments.size() > 1) {
    out.push_back({"attachments", "more than one file: refused before 2026-01-05 (RAS-ATT-001)"});
  }
  return out;
}

}  // namespace zairyu::client
