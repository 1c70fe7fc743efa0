#include "conformance/online/action_args.h"

namespace zairyu::conformance {

std::optional<std::string> ActionArgs::optional_string(const char* name) const {
  if (!args_.contains(name)) return std::nullopt;
  if (!args_[name].is_string()) throw BadArguments(std::string(name) + " must be a string");
  return args_[name].get<std::string>();
}

std::string ActionArgs::string(const char* name, const std::string& fallback) const {
  return optional_string(name).value_or(fallback);
}

std::string ActionArgs::required_string(const char* name) const {
  auto value = optional_string(name);
  if (!value) throw BadArguments(std::string("missing argument ") + name);
  return *value;
}

bool ActionArgs::boolean(const char* name, bool fallback) const {
  if (!args_.contains(name)) return fallback;
  if (!args_[name].is_boolean()) throw BadArguments(std::string(name) + " must be true or false");
  return args_[name];
}

long long ActionArgs::integer(const char* name, long long fallback) const {
  if (!args_.contains(name)) return fallback;
  if (!args_[name].is_number_integer())
    throw BadArguments(std::string(name) + " must be an integer");
  return args_[name];
}

double ActionArgs::number(const char* name, double fallback) const {
  if (!args_.contains(name)) return fallback;
  if (!args_[name].is_number()) throw BadArguments(std::string(name) + " must be a number");
  return args_[name];
}

const nlohmann::json& ActionArgs::raw(const char* name) const {
  if (!args_.contains(name)) throw BadArguments(std::string("missing argument ") + name);
  return args_[name];
}

}  // namespace zairyu::conformance
