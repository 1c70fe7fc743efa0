// control_call: the common frame of every control-plane handler (CardControl
// and EmulatorControl): check the control token, run the body, map
// ControlError and other exceptions to rich statuses, log the call.
#pragma once

#include <grpcpp/server_context.h>

#include <exception>
#include <optional>
#include <string>
#include <string_view>

#include "emulator/server/control_error.h"
#include "emulator/server/json_log.h"
#include "emulator/server/rich_status.h"

namespace zairyu::server {

// Compares without an early exit, so response time leaks nothing of the token.
inline bool same_secret(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return diff == 0;
}

// True when no token is configured or the call carries
// `authorization: Bearer <token>`.
inline bool control_token_ok(const grpc::ServerContext& context,
                             const std::optional<std::string>& token) {
  if (!token) return true;
  const auto& metadata = context.client_metadata();
  const auto it = metadata.find("authorization");
  return it != metadata.end() &&
         same_secret(std::string_view(it->second.data(), it->second.size()), "Bearer " + *token);
}

// Runs `body` (void; throws ControlError to refuse) as a control call of
// `service`.`method`; a refused call is UNAUTHENTICATED CONTROL_TOKEN_REQUIRED.
template <typename Body>
grpc::Status control_call(const char* service, const char* method, grpc::ServerContext& context,
                          const std::optional<std::string>& token, Body&& body) {
  grpc::Status status;
  std::string reason;
  if (!control_token_ok(context, token)) {
    reason = "CONTROL_TOKEN_REQUIRED";
    status = rich_status(grpc::StatusCode::UNAUTHENTICATED, reason,
                         "control calls need the metadata 'authorization: Bearer <token>'");
  } else {
    try {
      body();
    } catch (const ControlError& e) {
      reason = e.reason();
      status = rich_status(e);
    } catch (const std::exception& e) {
      reason = "INTERNAL";
      status = rich_status(grpc::StatusCode::INTERNAL, reason, e.what());
    }
  }
  nlohmann::json fields = {
      {"service", service}, {"method", method}, {"code", static_cast<int>(status.error_code())}};
  if (!status.ok()) {
    fields["reason"] = reason;
    fields["message"] = status.error_message();
  }
  log_json(status.ok() ? "info" : "warn", "rpc", std::move(fields));
  return status;
}

}  // namespace zairyu::server
