#include "conformance/online/rpc_status.h"

#include <array>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace zairyu::conformance {
namespace {

// Indexed by the numeric code (0..16).
constexpr std::array<std::string_view, 17> kCodeNames = {
    "OK",        "CANCELLED",      "UNKNOWN",           "INVALID_ARGUMENT",   "DEADLINE_EXCEEDED",
    "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
    "ABORTED",   "OUT_OF_RANGE",   "UNIMPLEMENTED",     "INTERNAL",           "UNAVAILABLE",
    "DATA_LOSS", "UNAUTHENTICATED"};

}  // namespace

std::string code_name(grpc::StatusCode code) {
  const auto index = static_cast<std::size_t>(code);
  return index < kCodeNames.size() ? std::string(kCodeNames[index])
                                   : "CODE_" + std::to_string(index);
}

std::optional<grpc::StatusCode> parse_code_name(std::string_view name) {
  for (std::size_t i = 0; i < kCodeNames.size(); ++i) {
    if (kCodeNames[i] == name) return static_cast<grpc::StatusCode>(i);
  }
  return std::nullopt;
}

std::string status_reason(const grpc::Status& status) {
  google::rpc::Status details;
  if (!status.error_details().empty() && details.ParseFromString(status.error_details())) {
    for (const auto& any : details.details()) {
      google::rpc::ErrorInfo info;
      if (any.UnpackTo(&info) && !info.reason().empty()) return info.reason();
    }
  }
  return code_name(status.error_code());
}

}  // namespace zairyu::conformance
