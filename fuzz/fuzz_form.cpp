// fuzz_form: the client's application-form parser and local checks
// (client/include/zairyu/client/application_form.h): parse_form (YAML and
// strict JSON), validate_form and attachment_warnings (PDF header, /Encrypt).
//
// Input layout:
//   byte 0   bit 0: parse the document as JSON (1) or YAML (0)
//   rest     the document, up to the first NUL byte; the bytes after that NUL
//            are the content of every attachment the form names (the parser
//            only reads paths; load_attachments would fill the content)
//
// Invariants:
// - parse_form throws nothing but FormError, and a FormError names at least
//   one violation, each with a non-empty field and description;
// - a parsed form validates (validate_form, attachment_warnings) without
//   throwing, each violation naming a field of the form (a top-level key of
//   the format) with a description;
// - a document accepted as strict JSON and as YAML gives the same form. YAML
//   may refuse valid JSON: a key and its ':' on two lines (YAML keys without
//   '?' are single-line) or, with the yaml-cpp reader of before, lone CR line
//   breaks after a flow mapping; forms in .json files are read as JSON, so
//   that is no defect;
// - attachment_warnings flags a .pdf without "%PDF-" in its first 1024 bytes
//   exactly as the server's HasPdfHeader (emulator/online/pdf_scan.h) refuses
//   it, so the client's advice matches the server's verdict.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/online/pdf_scan.h"
#include "zairyu/client/application_form.h"

namespace {

namespace client = zairyu::client;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "fuzz_form invariant broken: %s\n", what);
  std::abort();
}

void check(bool ok, const char* what) {
  if (!ok) fail(what);
}

// Every violation of a parsed form names one of the format's top-level fields.
bool names_form_field(const std::string& field) {
  static constexpr std::array<std::string_view, 8> kTopLevel{
      "applicant", "procedures",     "requested_status", "coe_receipt",
      "delivery",  "postal_address", "photo_size",       "attachments"};
  const std::string_view head = std::string_view(field).substr(0, field.find_first_of(".["));
  return std::find(kTopLevel.begin(), kTopLevel.end(), head) != kTopLevel.end();
}

void check_violations(const std::vector<client::FieldViolation>& violations, bool form_fields) {
  for (const auto& v : violations) {
    check(!v.field.empty() && !v.description.empty(), "violation without field or description");
    if (form_fields) check(names_form_field(v.field), "violation names no field of the form");
  }
}

// The form, or nullopt when parse_form refused it (with a proper FormError).
std::optional<client::ApplicationForm> parse(std::string_view text, client::FormFormat format) {
  try {
    return client::parse_form(text, format);
  } catch (const client::FormError& e) {
    check(!e.violations().empty(), "FormError without violations");
    check_violations(e.violations(), false);
    check(std::strlen(e.what()) > 0, "FormError without message");
    return std::nullopt;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "parse_form threw %s\n", e.what());
    fail("parse_form threw something other than FormError");
  }
}

bool same_status(const std::optional<client::StatusOfResidence>& a,
                 const std::optional<client::StatusOfResidence>& b) {
  return a.has_value() == b.has_value() &&
         (!a || (a->name == b->name && a->designation == b->designation));
}

bool same_form(const client::ApplicationForm& a, const client::ApplicationForm& b) {
  const auto& x = a.applicant;
  const auto& y = b.applicant;
  const bool same_period =
      x.period_of_stay.has_value() == y.period_of_stay.has_value() &&
      (!x.period_of_stay || (x.period_of_stay->years == y.period_of_stay->years &&
                             x.period_of_stay->months == y.period_of_stay->months &&
                             x.period_of_stay->days == y.period_of_stay->days &&
                             x.period_of_stay->indefinite == y.period_of_stay->indefinite));
  const bool same_applicant = x.birth_date == y.birth_date && same_status(x.status, y.status) &&
                              same_period && x.stay_expires_on == y.stay_expires_on &&
                              x.inability_reason == y.inability_reason && x.email == y.email;
  const bool same_files = std::equal(
      a.attachments.begin(), a.attachments.end(), b.attachments.begin(), b.attachments.end(),
      [](const client::AttachmentFile& f, const client::AttachmentFile& g) {
        return f.path == g.path && f.file_name == g.file_name && f.content_type == g.content_type;
      });
  return same_applicant && a.procedures == b.procedures &&
         same_status(a.requested_status, b.requested_status) && a.coe_receipt == b.coe_receipt &&
         a.delivery == b.delivery && a.postal_address == b.postal_address &&
         a.photo_size == b.photo_size && same_files;
}

void check_parsed(client::ApplicationForm& form, const client::Bytes& content) {
  for (auto& file : form.attachments) file.content = content;
  try {
    check_violations(client::validate_form(form), true);
    check_violations(client::attachment_warnings(form), true);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "validation threw %s\n", e.what());
    fail("validate_form or attachment_warnings threw");
  }
}

// One .pdf attachment with the given content: the client warns about a
// missing header exactly when the server finds none.
void check_pdf_advice(const client::Bytes& content) {
  client::ApplicationForm form;
  client::AttachmentFile file;
  file.path = "scan.pdf";
  file.file_name = "scan.pdf";
  file.content = content;
  form.attachments.push_back(std::move(file));
  const auto warnings = client::attachment_warnings(form);
  check_violations(warnings, true);
  const bool warned_header =
      std::any_of(warnings.begin(), warnings.end(), [](const client::FieldViolation& v) {
        return v.field == "attachments[0].path" && v.description.find("%PDF-") != std::string::npos;
      });
  check(warned_header == !zairyu::online::HasPdfHeader(content),
        "client header warning differs from the server's HasPdfHeader");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const bool json = (data[0] & 1) != 0;
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::size_t nul = rest.find('\0');
  const std::string_view text = rest.substr(0, nul);
  const client::Bytes content = nul == std::string_view::npos
                                    ? client::Bytes{}
                                    : client::Bytes(data + 1 + nul + 1, data + size);

  auto form = parse(text, json ? client::FormFormat::kJson : client::FormFormat::kYaml);
  if (form) {
    if (json) {
      const auto as_yaml = parse(text, client::FormFormat::kYaml);
      check(!as_yaml || same_form(*form, *as_yaml),
            "JSON and YAML read the same document differently");
    }
    check_parsed(*form, content);
  }
  check_pdf_advice(content);
  return 0;
}
