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

}  // namespace zairyu::server
