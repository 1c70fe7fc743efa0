// From a failed gRPC call to OnlineError. Internal to zairyu_client_online.
#pragma once

#include <grpcpp/support/status.h>

#include <string>

#include "zairyu/client/online_client.h"

namespace zairyu::client::detail {

// "PERMISSION_DENIED" for grpc::PERMISSION_DENIED.
std::string status_code_name(grpc::StatusCode code);

// Reads the google.rpc.Status of grpc-status-details-bin (ErrorInfo reason and
// metadata "rule_id", BadRequest field violations; anything malformed is
// ignored) and words a message naming `method`, the code, reason and rule.
OnlineError to_online_error(const grpc::Status& status, const std::string& method,
                            const std::string& address);

// A reply the client cannot use (a required field missing).
OnlineError bad_response(const std::string& method, const std::string& what);

}  // namespace zairyu::client::detail
