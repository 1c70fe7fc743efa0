#include "emulator/server/default_state_path.h"

#include <cstdlib>
#include <stdexcept>

namespace zairyu::server {

namespace {

// An environment value usable as a base directory: set and absolute.
bool usable(const char* value) { return value && std::filesystem::path(value).is_absolute(); }

}  // namespace

std::filesystem::path DefaultStatePath(const char* xdg_state_home, const char* home) {
  std::filesystem::path base;
  if (usable(xdg_state_home)) {
    base = xdg_state_home;
  } else if (usable(home)) {
    base = std::filesystem::path(home) / ".local" / "state";
  } else {
    throw std::runtime_error(
        "no default --state: neither XDG_STATE_HOME nor HOME is an absolute path; give --state "
        "FILE or --state :memory:");
  }
  return base / "zairyu-lab" / "emulator.sqlite";
}

std::filesystem::path PrepareDefaultStatePath() {
  auto path = DefaultStatePath(std::getenv("XDG_STATE_HOME"), std::getenv("HOME"));
  std::filesystem::create_directories(path.parent_path());
  return path;
}

}  // namespace zairyu::server
