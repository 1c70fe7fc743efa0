#include "conformance/report/certification.h"

#include <openssl/evp.h>

#include "conformance/report/html_report.h"
#include "conformance/report/json_report.h"

namespace zairyu::conformance {

nlohmann::json certification_report(const SuiteRun& run, const CertificationInfo& info) {
  nlohmann::json report = report_json(run);
  report["certification"] = {{"suite_name", run.suite_name},
                             {"suite_version", run.suite_version},
                             {"vendor", info.vendor},
                             {"product", info.product},
                             {"declared_features", info.declared_features}};
  report["sha256"] = canonical_sha256(report);
  return report;
}

std::string canonical_sha256(const nlohmann::json& report) {
  nlohmann::json copy = report;
  if (copy.is_object()) copy.erase("sha256");
  const std::string canonical = dump_json(copy);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(canonical.data(), canonical.size(), digest, &size, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0x0F];
  }
  return hex;
}

Verification verify_report(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  const bool is_json = first != std::string_view::npos && text[first] == '{';
  const std::string json_text = is_json ? std::string(text) : extract_embedded_report(text);
  if (json_text.empty()) return {false, "no embedded report found"};
  const nlohmann::json report = nlohmann::json::parse(json_text, nullptr, false);
  if (report.is_discarded() || !report.is_object()) return {false, "report is not a JSON object"};
  if (!report.contains("certification"))
    return {false, "not a certification report (no certification block)"};
  if (!report.contains("sha256") || !report["sha256"].is_string())
    return {false, "no sha256 member"};
  const std::string stated = report["sha256"];
  const std::string actual = canonical_sha256(report);
  if (stated != actual)
    return {false, "sha256 mismatch: report says " + stated + ", contents hash to " + actual};
  return {true, "sha256 " + actual + " verified"};
}

}  // namespace zairyu::conformance
