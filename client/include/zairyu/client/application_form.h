// ApplicationForm: an application (申請書) as the client reads it from a YAML
// or JSON file, and its local validation. Pure functions over text: no I/O
// except reading the form file and the attachment files it names
// (load_form_file, load_attachments). Library zairyu_client_form: no gRPC,
// protobuf, OpenSSL or PC/SC.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "zairyu/client/bytes.h"

namespace zairyu::client {

// One field-level problem, from local validation or from the server's
// google.rpc.BadRequest ("form.applicant.birth_date").
struct FieldViolation {
  std::string field;
  std::string description;
};

// Local validation refused a form before anything was sent.
class FormError : public std::invalid_argument {
 public:
  FormError(const std::string& message, std::vector<FieldViolation> violations);
  const std::vector<FieldViolation>& violations() const noexcept { return violations_; }

 private:
  std::vector<FieldViolation> violations_;
};

// The seven procedures that can be filed online (online-system.md §2.1).
enum class Procedure {
  kCertificateOfEligibility,  // 在留資格認定証明書交付
  kChangeOfStatus,            // 在留資格変更
  kExtensionOfStay,           // 在留期間更新
  kAcquisitionOfStatus,       // 在留資格取得
  kEmploymentCertificate,     // 就労資格証明書交付
  kReentryPermit,             // 再入国許可
  kOtherActivityPermission,   // 資格外活動許可
};
// "extension_of_stay"; parse also accepts the Japanese name. Throws
// std::invalid_argument for anything else.
std::string to_string(Procedure procedure);
std::string japanese_name(Procedure procedure);  // "在留期間更新"
std::string english_name(Procedure procedure);   // "extension of period of stay"
Procedure parse_procedure(std::string_view name);

struct StatusOfResidence {
  std::string name;         // "技術・人文知識・国際業務"
  std::string designation;  // "出国準備期間", may be empty
};

struct PeriodOfStay {
  int years = 0;
  int months = 0;
  int days = 0;
  bool indefinite = false;
};

struct Applicant {
  std::string birth_date;  // YYYY-MM-DD
  std::optional<StatusOfResidence> status;
  std::optional<PeriodOfStay> period_of_stay;
  std::string stay_expires_on;   // YYYY-MM-DD; empty for a COE
  std::string inability_reason;  // lets a relative file for an applicant of 16 or more
  std::string email;
};

// One file to attach, as named in the form (path relative to the form file).
struct AttachmentFile {
  std::string path;
  std::string file_name;  // default: the last part of `path`
  std::string content_type = "application/pdf";
  Bytes content;  // filled by load_attachments
};

struct ApplicationForm {
  Applicant applicant;
  std::vector<Procedure> procedures;
  std::optional<StatusOfResidence> requested_status;
  enum class CoeReceipt { kPaper, kEmail } coe_receipt = CoeReceipt::kPaper;
  enum class Delivery { kPost, kCounter } delivery = Delivery::kPost;
  std::string postal_address;
  std::uint64_t photo_size = 0;
  std::vector<AttachmentFile> attachments;
};

// Parses a form document. YAML (a superset of JSON) or strict JSON by
// `format`; unknown fields and duplicate keys are errors, an empty (null)
// value is the same as an absent field. Throws FormError whose violations
// name each offending field path ("applicant.birth_date"). Pure. The format
// is described in client/README.md.
enum class FormFormat { kYaml, kJson };
ApplicationForm parse_form(std::string_view text, FormFormat format);

// Local checks before anything is sent: required fields, date formats and
// calendar dates, known procedures without duplicates, postal address when
// delivered by post, attachment names and sizes. Returns every violation
// (empty: valid). Pure: the server's own rules still decide.
std::vector<FieldViolation> validate_form(const ApplicationForm& form);

// What the server accepts but marks, or refuses only before 2026-01-05: not a
// .pdf, no %PDF- header, maybe protected, over 10 MiB, more than one file.
// Advice for the user, never a reason to stop. Pure.
std::vector<FieldViolation> attachment_warnings(const ApplicationForm& form);

// YYYY-MM-DD naming a real day of the proleptic Gregorian calendar.
bool is_calendar_date(std::string_view text);

// Reads every attachment's content from disk, paths relative to `base_dir`.
// Throws FormError naming "attachments[i].path" when a file cannot be read.
void load_attachments(ApplicationForm& form, const std::string& base_dir);

// Reads a form file (JSON when the name ends in .json, YAML otherwise; at
// most 1 MiB), parses it and loads its attachments relative to its directory.
// Throws FormError (the file itself is named "(file)").
ApplicationForm load_form_file(const std::string& path);

}  // namespace zairyu::client
