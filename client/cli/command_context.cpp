#include "command_context.h"

#include <fmt/format.h>

#include <exception>
#include <iostream>

#include "cli_error.h"
#include "pcsc_readers.h"
#include "zairyu/client/errors.h"

namespace zairyu::cli {
namespace {

std::string tries_text(int tries) {
  return fmt::format("{} tr{} left", tries, tries == 1 ? "y" : "ies");
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
