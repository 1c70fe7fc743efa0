#include "emulator/server/rich_status.h"

#include <grpcpp/support/error_details.h>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace zairyu::server {

grpc::Status rich_status(grpc::StatusCode code, std::string_view reason, std::string_view message,
                         const std::map<std::string, std::string>& metadata,
                         const std::vector<FieldViolation>& violations) {
  google::rpc::Status status;
  status.set_code(static_cast<int>(code));
  status.set_message(std::string(message));

  google::rpc::ErrorInfo info;
  info.set_reason(std::string(reason));
  info.set_domain(std::string(kErrorDomain));
  info.mutable_metadata()->insert(metadata.begin(), metadata.end());
  status.add_details()->PackFrom(info);

  if (!violations.empty()) {
    google::rpc::BadRequest bad_request;
    for (const auto& v : violations) {
      auto* out = bad_request.add_field_violations();
      out->set_field(v.field);
      out->set_description(v.description);
    }
    status.add_details()->PackFrom(bad_request);
  }

  grpc::Status result;
  grpc::SetErrorDetails(status, &result);
  return result;
}

grpc::Status rich_status(const ControlError& error) {
  grpc::StatusCode code = grpc::StatusCode::INVALID_ARGUMENT;
  switch (error.kind()) {
    case ControlError::Kind::kInvalidArgument:
      code = grpc::StatusCode::INVALID_ARGUMENT;
      break;
    case ControlError::Kind::kNotFound:
      code = grpc::StatusCode::NOT_FOUND;
      break;
    case ControlError::Kind::kFailedPrecondition:
      code = grpc::StatusCode::FAILED_PRECONDITION;
      break;
    case ControlError::Kind::kUnavailable:
      code = grpc::StatusCode::UNAVAILABLE;
      break;
  }
  return rich_status(code, error.reason(), error.what(), error.metadata(), error.violations());
}

grpc::Status rich_status(const online::Rejection& rejection) {
  grpc::StatusCode code = grpc::StatusCode::FAILED_PRECONDITION;
  switch (rejection.category) {
    case online::ErrorCategory::kInvalidArgument:
      code = grpc::StatusCode::INVALID_ARGUMENT;
      break;
    case online::ErrorCategory::kFailedPrecondition:
      code = grpc::StatusCode::FAILED_PRECONDITION;
      break;
    case online::ErrorCategory::kPermissionDenied:
      code = grpc::StatusCode::PERMISSION_DENIED;
      break;
    case online::ErrorCategory::kUnauthenticated:
      code = grpc::StatusCode::UNAUTHENTICATED;
      break;
    case online::ErrorCategory::kNotFound:
      code = grpc::StatusCode::NOT_FOUND;
      break;
    case online::ErrorCategory::kAlreadyExists:
      code = grpc::StatusCode::ALREADY_EXISTS;
      break;
  }
  std::map<std::string, std::string> metadata;
  if (!rejection.rule_id.empty()) metadata["rule_id"] = rejection.rule_id;
  std::vector<FieldViolation> violations;
  for (const auto& v : rejection.field_violations) violations.push_back({v.field, v.description});
  return rich_status(code, rejection.reason, rejection.message, metadata, violations);
}

std::string error_reason(const grpc::Status& status) {
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return {};
  google::rpc::ErrorInfo info;
  for (const auto& any : details.details()) {
    if (any.UnpackTo(&info)) return info.reason();
  }
  return {};
}

}  // namespace zairyu::server
