// What a failed gRPC call means to a scenario: the google.rpc.ErrorInfo
// reason the server put in the status details, else the gRPC code name.
#pragma once

#include <grpcpp/support/status.h>

#include <optional>
#include <string>
#include <string_view>

namespace zairyu::conformance {

// "UNAVAILABLE" for StatusCode::UNAVAILABLE.
std::string code_name(grpc::StatusCode code);
// The inverse; nullopt for a name that is not a gRPC code.
std::optional<grpc::StatusCode> parse_code_name(std::string_view name);
// ErrorInfo.reason from the details, else code_name(status.error_code()).
std::string status_reason(const grpc::Status& status);

}  // namespace zairyu::conformance
