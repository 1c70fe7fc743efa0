#include "command_context.h"

#include <fmt/format.h>

#include <cstdlib>
#include <exception>
#include <iostream>

#include "cli_error.h"
#include "pcsc_readers.h"
#include "session_file.h"
#include "zairyu/client/errors.h"
#include "zairyu/client/jpki_signer.h"

namespace zairyu::cli {
namespace {

std::string tries_text(int tries) {
  return fmt::format("{} tr{} left", tries, tries == 1 ? "y" : "ies");
}

nlohmann::json violations_json(const std::vector<client::FieldViolation>& violations) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& v : violations)
    out.push_back({{"field", v.field}, {"description", v.description}});
  return out;
}

// The message, then one line per field problem.
std::string with_violations(const std::string& message,
                            const std::vector<client::FieldViolation>& violations) {
  std::string out = message;
  if (violations.size() > 1 ||
      (violations.size() == 1 && message.find(violations[0].field) == std::string::npos)) {
    for (const auto& v : violations) out += fmt::format("\n  {}: {}", v.field, v.description);
  }
  return out;
}

CliError translate_online(const client::OnlineError& e) {
  nlohmann::json details = {{"grpc_code", e.code_name()}};
  if (!e.reason().empty()) details["reason"] = e.reason();
  if (!e.rule_id().empty()) details["rule_id"] = e.rule_id();
  if (!e.violations().empty()) details["violations"] = violations_json(e.violations());
  const std::string message = with_violations(e.what(), e.violations());
  if (e.code_name() == "UNAVAILABLE" || e.code_name() == "DEADLINE_EXCEEDED") {
    return {ExitCode::kUnreachable,
            e.code_name() == "UNAVAILABLE" ? "unreachable" : "deadline_exceeded", message, details};
  }
  if (e.reason() == "SESSION_INVALID" || e.reason() == "NOT_LOGGED_IN") {
    return {ExitCode::kNotLoggedIn, "not_logged_in",
            message + " (log in again: zairyu-client login)", details};
  }
  return {ExitCode::kRefused, e.code_name() == "UNIMPLEMENTED" ? "unimplemented" : "refused",
          message, details};
}

// The library's typed errors as CliErrors. Their messages never hold PINs.
CliError translate(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const CliError& e) {
    return e;
  } catch (const client::CardResetError& e) {
    return {ExitCode::kCardError, "card_reset", e.what(), {{"pcsc_error", e.code_name()}}};
  } catch (const client::TransportError& e) {
    nlohmann::json details = {{"pcsc_error", e.code_name()}};
    if (e.code_name() == "SCARD_E_NO_SERVICE" || e.code_name() == "SCARD_E_SERVICE_STOPPED") {
      return {ExitCode::kNoCard, "no_pcscd",
              fmt::format("cannot reach pcscd ({}): is the PC/SC daemon running?", e.code_name()),
              details};
    }
    const char* kind = dynamic_cast<const client::CardRemovedError*>(&e)      ? "card_removed"
                       : dynamic_cast<const client::ReaderNotFoundError*>(&e) ? "no_reader"
                       : dynamic_cast<const client::TimeoutError*>(&e)        ? "no_card"
                                                                              : "pcsc_error";
    return {ExitCode::kNoCard, kind, e.what(), details};
  } catch (const client::CardStatusError& e) {
    return {ExitCode::kCardError,
            "card_status",
            fmt::format("card error: {}", e.what()),
            {{"sw", fmt::format("{:04X}", e.sw())}}};
  } catch (const client::CardProtocolError& e) {
    return {ExitCode::kCardError, "card_protocol", fmt::format("card error: {}", e.what())};
  } catch (const client::PinFormatError& e) {
    return {ExitCode::kUsage, "pin_format", e.what()};
  } catch (const client::PinRefusedError& e) {
    try {
      require_verified(e.result(),
                       e.key() == client::JpkiKey::kSign ? PinKind::kSign : PinKind::kAuth);
    } catch (const CliError& refused) {
      return refused;
    }
    return {ExitCode::kInternal, "internal", e.what()};
  } catch (const client::FormError& e) {
    return {ExitCode::kFormInvalid,
            "form_invalid",
            with_violations(e.what(), e.violations()),
            {{"violations", violations_json(e.violations())}}};
  } catch (const client::OnlineError& e) {
    return translate_online(e);
  } catch (const std::invalid_argument& e) {
    // The library's refusals of a caller's value (a TLS roots file that is
    // not PEM, a card category registering without a card).
    return {ExitCode::kUsage, "usage", e.what()};
  } catch (const std::exception& e) {
    return {ExitCode::kInternal, "internal", fmt::format("internal error: {}", e.what())};
  } catch (...) {
    return {ExitCode::kInternal, "internal", "internal error: unknown exception"};
  }
}

}  // namespace

CardSession::CardSession(const client::PcscOptions& options)
    : transport_(options), channel_(transport_), jpki_(channel_), input_helper_(channel_) {}

std::unique_ptr<CardSession> CommandContext::open_card() const {
  client::PcscOptions pcsc;
  const auto readers = scan_readers();
  if (options.wait_seconds > 0) {
    // The library waits for a card; a given reader is still resolved first.
    if (!options.reader.empty()) pcsc.reader = choose_reader(readers, options.reader, false);
    pcsc.card_wait = std::chrono::milliseconds(static_cast<long long>(options.wait_seconds * 1000));
  } else {
    pcsc.reader = choose_reader(readers, options.reader, true);
    pcsc.card_wait = std::chrono::seconds(1);  // only if the card went away meanwhile
  }
  return std::make_unique<CardSession>(pcsc);
}

client::ServerOptions CommandContext::server_options() const {
  client::ServerOptions o;
  o.address = options.server;
  if (o.address.empty()) {
    const char* env = std::getenv("ZAIRYU_SERVER");
    o.address = env && *env ? env : "127.0.0.1:50051";
  }
  if (!options.tls_ca.empty()) o.tls_root_certificates_file = options.tls_ca;
  o.tls_server_name = options.tls_server_name;
  o.deadline = std::chrono::milliseconds(static_cast<long long>(options.deadline_seconds * 1000));
  return o;
}

std::string CommandContext::session_file() const {
  return options.session_file.empty() ? default_session_file() : options.session_file;
}

void CommandContext::print(nlohmann::json result, const std::string& text) const {
  if (options.json) {
    nlohmann::json out = {{"ok", true}};
    out.update(result);
    std::cout << out.dump(2) << '\n';
  } else {
    std::cout << text;
    if (!text.empty() && text.back() != '\n') std::cout << '\n';
  }
  std::cout.flush();
}

int CommandContext::report_current_exception() const {
  const CliError error = translate(std::current_exception());
  std::cerr << "zairyu-client: " << error.what() << '\n';
  if (options.json) {
    nlohmann::json object = {{"kind", error.kind()},
                             {"message", error.what()},
                             {"exit_code", static_cast<int>(error.code())}};
    object.update(error.details());
    std::cout << nlohmann::json{{"ok", false}, {"error", object}}.dump(2) << '\n';
  }
  return static_cast<int>(error.code());
}

void require_verified(const client::VerifyResult& result, PinKind kind) {
  using Outcome = client::VerifyResult::Outcome;
  const std::string pin = pin_name(kind);
  switch (result.outcome) {
    case Outcome::kVerified:
      return;
    case Outcome::kWrongPin: {
      const int left = result.tries_left.value_or(0);
      throw CliError(ExitCode::kWrongPin, "wrong_pin",
                     fmt::format("wrong PIN: {} ({} PIN)", tries_text(left), pin),
                     {{"pin", pin}, {"tries_left", left}});
    }
    case Outcome::kBlocked:
      throw CliError(ExitCode::kPinBlocked, "pin_blocked",
                     fmt::format("the {} PIN is blocked (too many wrong PINs)", pin),
                     {{"pin", pin}, {"tries_left", 0}});
    case Outcome::kRefusedLastTry:
      throw CliError(ExitCode::kLastTryRefused, "last_try_refused",
                     fmt::format("the {} PIN has 1 try left; not sent, because a wrong PIN would "
                                 "block it (use --force-last-try to try anyway)",
                                 pin),
                     {{"pin", pin}, {"tries_left", 1}});
  }
}

nlohmann::json pin_status_json(const client::PinStatus& status) {
  using State = client::PinStatus::State;
  if (status.blocked()) return {{"state", "blocked"}, {"tries_left", 0}};
  switch (status.state) {
    case State::kTriesLeft:
      return {{"state", "tries_left"}, {"tries_left", status.tries_left.value_or(0)}};
    case State::kVerified:
      return {{"state", "verified"}};
    case State::kNoLimit:
      return {{"state", "no_limit"}};
    case State::kBlocked:
      break;  // handled by blocked() above
  }
  return {{"state", "blocked"}, {"tries_left", 0}};
}

std::string pin_status_text(const client::PinStatus& status) {
  using State = client::PinStatus::State;
  if (status.blocked()) return "blocked";
  switch (status.state) {
    case State::kTriesLeft:
      return tries_text(status.tries_left.value_or(0));
    case State::kVerified:
      return "verified (tries not reported)";
    case State::kNoLimit:
      return "no retry limit reported";
    case State::kBlocked:
      break;
  }
  return "blocked";
}

}  // namespace zairyu::cli
