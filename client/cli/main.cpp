// zairyu-client: the client engine's command line. Card half: `readers` and
// `card ...`; online half: `register`, `login`, `apply`, `status`, ... (see
// commands.h).
#include <CLI/CLI.hpp>

#include "commands.h"
#include "exit_codes.h"

int main(int argc, char** argv) {
  using zairyu::cli::ExitCode;
  zairyu::cli::CommandContext context;
  CLI::App app(
      "zairyu-client: PC/SC access to a My Number Card (real, or the zairyu virtual "
      "card) and the online residence application system (在留申請オンラインシステム)",
      "zairyu-client");
  app.footer(zairyu::cli::kExitCodeHelp);
  app.require_subcommand(1);
  app.fallthrough();  // global options may also follow the subcommand

  auto& o = context.options;
  app.add_option("--reader", o.reader,
                 "reader name, or a part of it matching one reader (default: the first reader "
                 "holding a card)")
      ->type_name("NAME");
  app.add_flag("--json", o.json, "print one JSON object on stdout (errors too)");
  app.add_flag("--force-last-try", o.force_last_try,
               "present a PIN even when only one try is left (a wrong one blocks the PIN)");
  app.add_option("--pin-file", o.pin_file, "read the PIN from the first line of this file")
      ->type_name("FILE");
  app.add_option("--wait", o.wait_seconds, "wait up to SECONDS for a card to be inserted")
      ->check(CLI::Range(0.0, 3600.0))
      ->type_name("SECONDS");

  app.add_option("--server", o.server,
                 "the online system, HOST:PORT (default $ZAIRYU_SERVER, else 127.0.0.1:50051)")
      ->type_name("HOST:PORT");
  app.add_option("--tls-ca", o.tls_ca, "use TLS; trust the roots in this PEM file")
      ->type_name("PEM");
  app.add_option("--tls-server-name", o.tls_server_name,
                 "the name to check in the server's certificate (default: the host)")
      ->type_name("NAME");
  app.add_option("--deadline", o.deadline_seconds, "deadline of each call to the server")
      ->check(CLI::Range(0.1, 3600.0))
      ->type_name("SECONDS");
  app.add_option("--session-file", o.session_file,
                 "where `login` keeps the session (default "
                 "$XDG_RUNTIME_DIR/zairyu-client/session.json, else "
                 "~/.cache/zairyu-client/session.json)")
      ->type_name("FILE");
  app.add_option("--password-file", o.password_file,
                 "read the online password from the first line of this file")
      ->type_name("FILE");

  zairyu::cli::add_readers_command(app, context);
  zairyu::cli::add_card_commands(app, context);
  zairyu::cli::add_online_commands(app, context);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);  // prints help or the error with a hint
    return code == 0 ? 0 : static_cast<int>(ExitCode::kUsage);
  } catch (...) {
    // Subcommands run from their callbacks, inside parse().
    return context.report_current_exception();
  }
  return static_cast<int>(ExitCode::kOk);
}
