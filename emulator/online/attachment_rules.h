// Rules for uploaded attachments ([KANTAN][DAISEI][NEW26a][NEW26c][S1],
// online-system.md §2.3, §5). Pure functions over untrusted input.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/online/jst.h"
#include "emulator/online/pdf_scan.h"
#include "emulator/online/rejection.h"
#include "emulator/online/rule_calendar.h"

namespace zairyu::online {

inline constexpr std::uint64_t kMiB = 1024 * 1024;
// RAS-ATT-001: one PDF up to 10 MB (taken as MiB; the sources say "10MB").
inline constexpr std::uint64_t kOldSystemFileLimit = 10 * kMiB;
// RAS-ATT-002: 25 MB in total including the photo (taken as MiB).
inline constexpr std::uint64_t kNewSystemTotalLimit = 25 * kMiB;

struct AttachmentFile {
  std::string file_name;
  Bytes content;
};

struct AttachmentUpload {
  std::uint64_t photo_size = 0;  // the face photo's bytes (counts from 2026-01-05)
  std::vector<AttachmentFile> files;
};

// The real system accepts a PDF it cannot use without a word and marks it an
// error file; the material must then go by post or to the counter.
enum class FileStatus { kAccepted, kErrorFile };

struct FileVerdict {
  std::string file_name;
  FileStatus status = FileStatus::kAccepted;
  std::string error;    // "NOT_A_PDF" (RAS-ATT-003), "PDF_PROTECTED" (RAS-ATT-004)
  std::string rule_id;  // of `error`
};

// The lower-case extension after the last dot, ignoring trailing dots and
// spaces (Windows drops them: "a.exe. " is an .exe). Empty if none.
std::string FileExtension(std::string_view file_name);
// RAS-ATT-005: zip, xlsm, bat, pif, scr, com, cmd, vbs, job, hta, cpl, exe,
// lzh, docm, js, wsf, pptm, jar, lnk, chm, swf, svg, jse, vbe.
bool IsBlockedExtension(std::string_view file_name);
// RAS-ATT-003/004 for one file; files that are not .pdf are accepted as they are.
FileVerdict ClassifyFile(const AttachmentFile& file);

// Refusals (one INVALID_ARGUMENT rejection whose field violations name every
// bad file, "files[2].file_name"; reason and rule are the first violation's):
//   RAS-ATT-005 ATTACHMENT_TYPE_BLOCKED, ATTACHMENT_NAME_MISSING (empty name);
//   before 2026-01-05, RAS-ATT-001: TOO_MANY_ATTACHMENTS (more than one),
//     ATTACHMENT_NOT_PDF (other than .pdf), ATTACHMENT_TOO_LARGE (> 10 MiB);
//   from 2026-01-05, RAS-ATT-002: ATTACHMENTS_TOO_LARGE (photo + files > 25 MiB).
// Otherwise one verdict per file, in order. Which of RAS-ATT-001/002 applies
// is read from `rules` at `today`.
Result<std::vector<FileVerdict>> CheckAttachments(
    const AttachmentUpload& upload, Date today,
    const RuleCalendar& rules = RuleCalendar::FollowingTheDate());

}  // namespace zairyu::online
