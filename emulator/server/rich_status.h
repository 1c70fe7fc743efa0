// Building gRPC statuses with machine-readable details: a google.rpc.Status in
// the grpc-status-details-bin trailer carrying a google.rpc.ErrorInfo and, for
// bad fields, a google.rpc.BadRequest. Any gRPC client that knows the
// googleapis error model decodes them.
#pragma once

#include <grpcpp/support/status.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/online/rejection.h"
#include "emulator/server/control_error.h"

namespace zairyu::server {

// ErrorInfo.domain of every zairyu-lab error.
inline constexpr std::string_view kErrorDomain = "zairyu-lab";

// A status `code` with message `message`, whose details hold
// ErrorInfo{reason, kErrorDomain, metadata} and, when `violations` is not
// empty, a BadRequest listing them.
grpc::Status rich_status(grpc::StatusCode code, std::string_view reason, std::string_view message,
                         const std::map<std::string, std::string>& metadata = {},
                         const std::vector<FieldViolation>& violations = {});

// The status for a ControlError: its kind as the code, its reason, message,
// metadata and violations as details.
grpc::Status rich_status(const ControlError& error);

// The status for a refusal of the online rules core: its category as the
// code, ErrorInfo{reason, metadata "rule_id" when the rule has one} and its
// field violations as a BadRequest.
grpc::Status rich_status(const online::Rejection& rejection);

// The ErrorInfo reason in a status's details; empty when there is none.
std::string error_reason(const grpc::Status& status);

}  // namespace zairyu::server
