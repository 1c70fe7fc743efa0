#include "emulator/online/attachment_rules.h"

#include <algorithm>
#include <array>

#include "emulator/online/rule_catalog.h"

namespace zairyu::online {
namespace {

// online-system.md §5 (the helpdesk's list of refused attachment types) [S1].
constexpr std::array<std::string_view, 24> kBlocked = {
    "zip", "xlsm", "bat", "pif", "scr",  "com", "cmd", "vbs", "job", "hta", "cpl", "exe",
    "lzh", "docm", "js",  "wsf", "pptm", "jar", "lnk", "chm", "swf", "svg", "jse", "vbe"};

// Collects violations; the first one decides reason and rule.
class Violations {
 public:
  void Add(std::string_view rule, std::string_view reason, std::string field,
           std::string description) {
    if (list_.empty()) {
      rule_ = rule;
      reason_ = reason;
    }
    list_.push_back({std::move(field), std::move(description)});
  }
  bool empty() const { return list_.empty(); }
  Rejection ToRejection() && {
    Rejection r = Reject(rule_, reason_, ErrorCategory::kInvalidArgument,
                         "attachments refused: " + list_.front().description);
    r.field_violations = std::move(list_);
    return r;
  }

 private:
  std::string_view rule_;
  std::string_view reason_;
  std::vector<FieldViolation> list_;
};

std::string Field(std::size_t i, std::string_view leaf) {
  return "files[" + std::to_string(i) + "]." + std::string(leaf);
}

}  // namespace

std::string FileExtension(std::string_view name) {
  while (!name.empty() && (name.back() == '.' || name.back() == ' ')) name.remove_suffix(1);
  const auto dot = name.rfind('.');
  if (dot == std::string_view::npos) return {};
  std::string ext(name.substr(dot + 1));
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return ext;
}

bool IsBlockedExtension(std::string_view file_name) {
  const std::string ext = FileExtension(file_name);
  return std::find(kBlocked.begin(), kBlocked.end(), ext) != kBlocked.end();
}

FileVerdict ClassifyFile(const AttachmentFile& file) {
  FileVerdict v{file.file_name, FileStatus::kAccepted, {}, {}};
  if (FileExtension(file.file_name) != "pdf") return v;
  if (!HasPdfHeader(file.content)) {
    v = {file.file_name, FileStatus::kErrorFile, "NOT_A_PDF", "RAS-ATT-003"};
  } else if (PdfIsProtected(file.content)) {
    v = {file.file_name, FileStatus::kErrorFile, "PDF_PROTECTED", "RAS-ATT-004"};
  }
  return v;
}

Result<std::vector<FileVerdict>> CheckAttachments(const AttachmentUpload& upload, Date today,
                                                  const RuleCalendar& rules) {
  Violations bad;
  const auto& files = upload.files;
  const bool old_rules = rules.InForce("RAS-ATT-001", today);
  std::uint64_t total = upload.photo_size;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const AttachmentFile& f = files[i];
    total += f.content.size();
    if (f.file_name.empty()) {
      bad.Add("RAS-ATT-005", "ATTACHMENT_NAME_MISSING", Field(i, "file_name"), "no file name");
    } else if (IsBlockedExtension(f.file_name)) {
      bad.Add("RAS-ATT-005", "ATTACHMENT_TYPE_BLOCKED", Field(i, "file_name"),
              "." + FileExtension(f.file_name) + " files are not accepted");
    } else if (old_rules && FileExtension(f.file_name) != "pdf") {
      bad.Add("RAS-ATT-001", "ATTACHMENT_NOT_PDF", Field(i, "file_name"),
              "attachments must be one PDF file");
    }
    if (old_rules && f.content.size() > kOldSystemFileLimit) {
      bad.Add("RAS-ATT-001", "ATTACHMENT_TOO_LARGE", Field(i, "content"),
              "the PDF is larger than 10 MB");
    }
  }
  if (old_rules && files.size() > 1) {
    bad.Add("RAS-ATT-001", "TOO_MANY_ATTACHMENTS", "files",
            "only one attachment file is accepted; merge the material into one PDF");
  }
  if (!old_rules && total > kNewSystemTotalLimit) {
    bad.Add("RAS-ATT-002", "ATTACHMENTS_TOO_LARGE", "files",
            "the photo and the attachments exceed 25 MB in total");
  }
  if (!bad.empty()) return std::move(bad).ToRejection();
  std::vector<FileVerdict> verdicts;
  for (const AttachmentFile& f : files) verdicts.push_back(ClassifyFile(f));
  return verdicts;
}

}  // namespace zairyu::online
