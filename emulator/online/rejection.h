// Rejection: why the online system refused a request, in a form a gRPC adapter
// can turn into a status code, a google.rpc.ErrorInfo and a google.rpc.BadRequest.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace zairyu::online {

// Maps 1:1 onto the gRPC status codes the server adapter will use.
enum class ErrorCategory {
  kInvalidArgument,
  kFailedPrecondition,
  kPermissionDenied,
  kUnauthenticated,
  kNotFound,
  kAlreadyExists,
};

// One wrong form field (google.rpc.BadRequest.FieldViolation).
struct FieldViolation {
  std::string field;  // path such as "attachments[1].file_name"
  std::string description;
};

// A refusal. `reason` is the machine-readable ErrorInfo reason, `rule_id` the
// rule_catalog id of the rule that refused.
struct Rejection {
  std::string reason;
  std::string rule_id;
  ErrorCategory category = ErrorCategory::kFailedPrecondition;
  std::string message;
  std::vector<FieldViolation> field_violations;
};

// Nothing (passed) or the first rejection.
using Check = std::optional<Rejection>;

// A value or a rejection; the return type of every backend call that produces
// something. Small on purpose (std::expected is C++23).
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}                  // NOLINT: implicit by design
  Result(Rejection rejection) : v_(std::move(rejection)) {}  // NOLINT

  bool ok() const { return std::holds_alternative<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T& value() & { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  const Rejection& rejection() const { return std::get<Rejection>(v_); }

 private:
  std::variant<T, Rejection> v_;
};

}  // namespace zairyu::online
