// Registration of the subcommand groups, one file each. The online half
// (register, login, apply, status, notify) will add its own add_*_commands()
// here once its protos exist.
#pragma once

#include <CLI/CLI.hpp>

#include "command_context.h"

namespace zairyu::cli {

// readers_command.cpp: `readers`.
void add_readers_command(CLI::App& app, CommandContext& context);
// card_commands.cpp: `card info|pin-status|read-cert|sign|verify-pin|change-pin|
// my-number|basic-four`.
void add_card_commands(CLI::App& app, CommandContext& context);

}  // namespace zairyu::cli
