// ControlError: a refused control operation, gRPC-free so the environment and
// its tests do not depend on gRPC; the service maps it 1:1 onto a status.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace zairyu::server {

// One bad request field (google.rpc.BadRequest.FieldViolation).
struct FieldViolation {
  std::string field;  // dot-separated path, e.g. "fault.status_word"
  std::string description;
};

// Thrown by Environment and the request converters. `reason` is the
// ErrorInfo reason (UPPER_SNAKE_CASE), what() the human-readable message.
class ControlError : public std::runtime_error {
 public:
  // The gRPC status code the error maps onto.
  enum class Kind { kInvalidArgument, kNotFound, kFailedPrecondition, kUnavailable };

  ControlError(Kind kind, std::string reason, const std::string& message,
               std::map<std::string, std::string> metadata = {},
               std::vector<FieldViolation> violations = {})
      : std::runtime_error(message),
        kind_(kind),
        reason_(std::move(reason)),
        metadata_(std::move(metadata)),
        violations_(std::move(violations)) {}

  Kind kind() const { return kind_; }
  const std::string& reason() const { return reason_; }
  const std::map<std::string, std::string>& metadata() const { return metadata_; }
  const std::vector<FieldViolation>& violations() const { return violations_; }

 private:
  Kind kind_;
  std::string reason_;
  std::map<std::string, std::string> metadata_;
  std::vector<FieldViolation> violations_;
};

// An INVALID_ARGUMENT ControlError naming one bad field.
inline ControlError invalid_field(std::string reason, std::string field,
                                  const std::string& description) {
  std::string message = field + ": " + description;
  return ControlError(ControlError::Kind::kInvalidArgument, std::move(reason), message, {},
                      {FieldViolation{std::move(field), description}});
}

}  // namespace zairyu::server
