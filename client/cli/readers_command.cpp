// `zairyu-client readers`: every PC/SC reader, whether it holds a card, and
// the card's ATR. Exit 2 when pcscd is unreachable or knows no reader.
#include <fmt/format.h>

#include "cli_error.h"
#include "commands.h"
#include "pcsc_readers.h"

namespace zairyu::cli {
namespace {

void run_readers(const CommandContext& context) {
  const std::vector<ReaderState> readers = scan_readers();
  if (readers.empty()) throw CliError(ExitCode::kNoCard, "no_reader", "no smart-card reader found");
  auto list = nlohmann::json::array();
  std::string text;
  for (const auto& r : readers) {
    list.push_back({{"name", r.name},
                    {"card_present", r.card_present},
                    {"mute", r.mute},
                    {"in_use", r.in_use},
                    {"exclusive", r.exclusive},
                    {"atr", client::to_hex(r.atr)}});
    std::string state = r.card_present ? "card" : "no card";
    if (r.mute) state += ", mute";
    if (r.exclusive)
      state += ", held exclusively";
    else if (r.in_use)
      state += ", in use";
    text += fmt::format("{} {}  [{}]{}\n", r.card_present ? '*' : ' ', r.name, state,
                        r.atr.empty() ? "" : "  ATR " + client::to_hex(r.atr));
  }
  context.print({{"readers", list}}, text);
}

}  // namespace

void add_readers_command(CLI::App& app, CommandContext& context) {
  auto* readers = app.add_subcommand(
      "readers", "List PC/SC readers; '*' marks those with a card, with its ATR");
  readers->callback([&context] { run_readers(context); });
}

}  // namespace zairyu::cli
