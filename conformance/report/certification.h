// Certification report: the JSON report plus the suite version, the vendor's
// declared features and a SHA-256 over the report's canonical JSON, embedded
// in the report itself. The hash makes accidental or casual edits evident; it
// is not a signature (anyone can recompute it), so a certification body must
// keep its own copy or sign the file.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "conformance/runner/suite_runner.h"

namespace zairyu::conformance {

struct CertificationInfo {
  std::string vendor;
  std::string product;
  std::vector<std::string> declared_features;
};

// report_json(run) + {"certification": {...}, "sha256": "<hex>"}.
nlohmann::json certification_report(const SuiteRun& run, const CertificationInfo& info);

// SHA-256 (lower-case hex) of the canonical form of `report` without its
// "sha256" member: nlohmann's compact dump (object keys sorted by byte value,
// no whitespace, UTF-8 unescaped, integers only).
std::string canonical_sha256(const nlohmann::json& report);

struct Verification {
  bool ok = false;
  std::string message;
};

// Checks a certification report given as JSON text or as an HTML report that
// embeds one. Never throws.
Verification verify_report(std::string_view text);

}  // namespace zairyu::conformance
