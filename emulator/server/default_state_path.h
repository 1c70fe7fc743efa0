// Where zairyu-emulator keeps its online state when --state is not given:
// $XDG_STATE_HOME/zairyu-lab/emulator.sqlite, else
// $HOME/.local/state/zairyu-lab/emulator.sqlite (XDG Base Directory rules:
// an unset, empty or relative XDG_STATE_HOME is ignored).
#pragma once

#include <filesystem>

namespace zairyu::server {

// The default state file for these environment values (either may be null).
// Throws std::runtime_error when neither gives an absolute directory.
std::filesystem::path DefaultStatePath(const char* xdg_state_home, const char* home);

// DefaultStatePath from the process environment, with its directory created.
std::filesystem::path PrepareDefaultStatePath();

}  // namespace zairyu::server
