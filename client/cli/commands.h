// Registration of the subcommand groups, one file each.
#pragma once

#include <CLI/CLI.hpp>

#include "command_context.h"

namespace zairyu::cli {

// readers_command.cpp: `readers`.
void add_readers_command(CLI::App& app, CommandContext& context);
// card_commands.cpp: `card info|pin-status|read-cert|sign|verify-pin|change-pin|
// my-number|basic-four`.
void add_card_commands(CLI::App& app, CommandContext& context);
// online_commands.cpp: `register`, `login`, `logout`, `apply`, `status`, `list`,
// `proof`, `notify`, `password change|reset|complete-reset`.
void add_online_commands(CLI::App& app, CommandContext& context);

}  // namespace zairyu::cli
