#include "zairyu/client/application_form.h"

#include <array>

#include "form/document.h"
#include "form/form_reader.h"

namespace zairyu::client {
namespace {

struct ProcedureNames {
  Procedure procedure;
  std::string_view id;
  std::string_view japanese;
  std::string_view english;
};

constexpr std::array<ProcedureNames, 7> kProcedures{{
    {Procedure::kCertificateOfEligibility, "certificate_of_eligibility", "在留資格認定証明書交付",
     "certificate of eligibility"},
    {Procedure::kChangeOfStatus, "change_of_status", "在留資格変更",
     "change of status of residence"},
    {Procedure::kExtensionOfStay, "extension_of_stay", "在留期間更新",
     "extension of period of stay"},
    {Procedure::kAcquisitionOfStatus, "acquisition_of_status", "在留資格取得",
     "acquisition of status of residence"},
    {Procedure::kEmploymentCertificate, "employment_certificate", "就労資格証明書交付",
     "certificate of authorized employment"},
    {Procedure::kReentryPermit, "reentry_permit", "再入国許可", "re-entry permit"},
    {Procedure::kOtherActivityPermission, "other_activity_permission", "資格外活動許可",
     "permission to engage in activity other than that permitted"},
}};

const ProcedureNames& names(Procedure procedure) {
  for (const auto& n : kProcedures) {
    if (n.procedure == procedure) return n;
  }
  throw std::invalid_argument("not a procedure: " + std::to_string(static_cast<int>(procedure)));
}

}  // namespace

FormError::FormError(const std::string& message, std::vector<FieldViolation> violations)
    : std::invalid_argument(message), violations_(std::move(violations)) {}

std::string to_string(Procedure procedure) { return std::string(names(procedure).id); }
std::string japanese_name(Procedure procedure) { return std::string(names(procedure).japanese); }
std::string english_name(Procedure procedure) { return std::string(names(procedure).english); }

Procedure parse_procedure(std::string_view name) {
  std::string known;
  for (const auto& n : kProcedures) {
    if (name == n.id || name == n.japanese) return n.procedure;
    known += (known.empty() ? "" : ", ") + std::string(n.id);
  }
  throw std::invalid_argument("unknown procedure \"" + std::string(name.substr(0, 64)) +
                              "\" (one of " + known + ", or the Japanese name)");
}

ApplicationForm parse_form(std::string_view text, FormFormat format) {
  const detail::DocNode document = format == FormFormat::kJson ? detail::read_json_document(text)
                                                               : detail::read_yaml_document(text);
  return detail::read_form(document);
}

}  // namespace zairyu::client
