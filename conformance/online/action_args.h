// Typed access to a step's `args` for the online executors; every mistake
// is a BadArguments naming the argument.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "conformance/card/card_actions.h"

namespace zairyu::conformance {

class ActionArgs {
 public:
  explicit ActionArgs(const nlohmann::json& args) : args_(args) {}

  bool has(const char* name) const { return args_.contains(name); }
  // The string argument, or nullopt when absent.
  std::optional<std::string> optional_string(const char* name) const;
  // The string argument, `fallback` when absent.
  std::string string(const char* name, const std::string& fallback) const;
  // The string argument; BadArguments when absent.
  std::string required_string(const char* name) const;
  bool boolean(const char* name, bool fallback) const;
  long long integer(const char* name, long long fallback) const;
  double number(const char* name, double fallback) const;
  const nlohmann::json& raw(const char* name) const;

 private:
  const nlohmann::json& args_;
};

}  // namespace zairyu::conformance
