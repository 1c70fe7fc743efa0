// What every subcommand shares: the global options, printing a result as text
// or as one JSON object, opening the card, and turning any failure into an
// exit code with a message. Subcommand groups (readers, card, and the online
// ones: register, login, apply, status, ...) each live in their own file and
// register themselves through an add_*_commands() function.
#pragma once

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "pin_input.h"
#include "zairyu/client/card_channel.h"
#include "zairyu/client/input_helper_card.h"
#include "zairyu/client/jpki_card.h"
#include "zairyu/client/online_client.h"
#include "zairyu/client/pcsc_transport.h"
#include "zairyu/client/pin.h"

namespace zairyu::cli {

// Options that apply to every subcommand.
struct GlobalOptions {
  std::string reader;           // exact name or unique part; empty = first with a card
  bool json = false;            // one JSON object on stdout
  bool force_last_try = false;  // present a PIN even with one try left
  std::string pin_file;         // first line = the PIN
  double wait_seconds = 0;      // wait this long for a card (0 = it must be there)
  // The online half.
  std::string server;           // HOST:PORT; default $ZAIRYU_SERVER or 127.0.0.1:50051
  std::string tls_ca;           // PEM roots: TLS when set
  std::string tls_server_name;  // name checked in the server certificate
  double deadline_seconds = 10;
  std::string session_file;  // default: default_session_file()
  std::string password_file;
};

// One connection to the chosen card with both applications on it.
class CardSession {
 public:
  explicit CardSession(const client::PcscOptions& options);
  client::PcscTransport& transport() { return transport_; }
  client::JpkiCard& jpki() { return jpki_; }
  client::InputHelperCard& input_helper() { return input_helper_; }

 private:
  client::PcscTransport transport_;
  client::CardChannel channel_;
  client::JpkiCard jpki_;
  client::InputHelperCard input_helper_;
};

class CommandContext {
 public:
  GlobalOptions options;

  // Picks the reader (see choose_reader) and connects.
  std::unique_ptr<CardSession> open_card() const;
  client::VerifyOptions verify_options() const { return {options.force_last_try}; }
  // The server options from --server, --tls-ca, --tls-server-name, --deadline.
  client::ServerOptions server_options() const;
  std::string session_file() const;

  // Prints a successful result: with --json the object (plus "ok": true),
  // else `text` (a newline is added when missing).
  void print(nlohmann::json result, const std::string& text) const;

  // Call inside a catch block: maps the exception being handled to an exit
  // code, prints the message (stderr; with --json also the error object on
  // stdout) and returns the code.
  int report_current_exception() const;
};

// Throws CliError (kWrongPin, kPinBlocked, kLastTryRefused) unless verified.
void require_verified(const client::VerifyResult& result, PinKind kind);

// PinStatus as {"state": "tries_left", "tries_left": 3} and as "3 tries left".
nlohmann::json pin_status_json(const client::PinStatus& status);
std::string pin_status_text(const client::PinStatus& status);

}  // namespace zairyu::cli
