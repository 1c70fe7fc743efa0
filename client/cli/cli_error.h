// CliError: a failure the CLI reports with a chosen exit code. Its message is
// shown to the user as is, so it must never hold a PIN.
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <utility>

#include "exit_codes.h"

namespace zairyu::cli {

class CliError : public std::runtime_error {
 public:
  // `kind` is a stable machine-readable name ("wrong_pin", "no_card", ...);
  // `details` adds fields to the JSON error object (e.g. tries_left).
  CliError(ExitCode code, std::string kind, const std::string& message,
           nlohmann::json details = nlohmann::json::object())
      : std::runtime_error(message),
        code_(code),
        kind_(std::move(kind)),
        details_(std::move(details)) {}

  ExitCode code() const noexcept { return code_; }
  const std::string& kind() const noexcept { return kind_; }
  const nlohmann::json& details() const noexcept { return details_; }

 private:
  ExitCode code_;
  std::string kind_;
  nlohmann::json details_;
};

}  // namespace zairyu::cli
