#include "online/rpc_error.h"

#include <array>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace zairyu::client::detail {

std::string status_code_name(grpc::StatusCode code) {
  static constexpr std::array<const char*, 17> kNames{"OK",
                                                      "CANCELLED",
                                                      "UNKNOWN",
                                                      "INVALID_ARGUMENT",
                                                      "DEADLINE_EXCEEDED",
                                                      "NOT_FOUND",
                                                      "ALREADY_EXISTS",
                                                      "PERMISSION_DENIED",
                                                      "RESOURCE_EXHAUSTED",
                                                      "FAILED_PRECONDITION",
                                                      "ABORTED",
                                                      "OUT_OF_RANGE",
                                                      "UNIMPLEMENTED",
                                                      "INTERNAL",
                                                      "UNAVAILABLE",
                                                      "DATA_LOSS",
                                                      "UNAUTHENTICATED"};
  const auto i = static_cast<std::size_t>(code);
  return i < kNames.size() ? kNames[i] : "CODE_" + std::to_string(static_cast<int>(code));
}

OnlineError to_online_error(const grpc::Status& status, const std::string& method,
                            const std::string& address) {
  std::string reason, rule_id;
  std::vector<FieldViolation> violations;
  google::rpc::Status details;
  if (!status.error_details().empty() && details.ParseFromString(status.error_details())) {
    for (const auto& any : details.details()) {
      google::rpc::ErrorInfo info;
      google::rpc::BadRequest bad;
      if (any.Is<google::rpc::ErrorInfo>() && any.UnpackTo(&info)) {
        reason = info.reason();
        if (const auto it = info.metadata().find("rule_id"); it != info.metadata().end()) {
          rule_id = it->second;
        }
      } else if (any.Is<google::rpc::BadRequest>() && any.UnpackTo(&bad)) {
        for (const auto& v : bad.field_violations()) {
          violations.push_back({v.field(), v.description()});
        }
      }
    }
  }
  const std::string code = status_code_name(status.error_code());
  std::string message;
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
      message = "cannot reach the online system at " + address + " (" + method + ": " +
                status.error_message() + ")";
      break;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      message = method + " did not finish within the deadline (server " + address + ")";
      break;
    case grpc::StatusCode::UNIMPLEMENTED:
      message = "the online system does not offer " + method + " (UNIMPLEMENTED" +
                (reason.empty() ? "" : ", " + reason) + ")";
      break;
    default:
      message = method + " refused: " + code + (reason.empty() ? "" : " " + reason) +
                (rule_id.empty() ? "" : " (rule " + rule_id + ")");
      break;
  }
  if (!status.error_message().empty() && status.error_code() != grpc::StatusCode::UNAVAILABLE) {
    message += ": " + status.error_message();
  }
  return OnlineError(message, code, reason, rule_id, std::move(violations));
}

OnlineError bad_response(const std::string& method, const std::string& what) {
  return OnlineError(method + ": the server's reply is unusable: " + what, "INTERNAL",
                     "BAD_RESPONSE", "", {});
}

}  // namespace zairyu::client::detail
