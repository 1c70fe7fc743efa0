// The client actions of ClientExecutor, one function each, over the per-run
// state they share (the last user, the session, the last application).
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "conformance/online/action_args.h"
#include "zairyu/client/online_client.h"

namespace zairyu::conformance {

class CardExecutor;
struct CardSlot;

// What one run of the client executor remembers between steps.
struct ClientRunState {
  std::unique_ptr<client::OnlineClient> client;
  CardExecutor* cards = nullptr;
  std::filesystem::path suite_dir;
  // The last registered user: later steps default to it.
  std::string user_id;
  std::string password;  // test data, never a real secret
  std::optional<client::UserCategory> category;
  std::string persona;  // whose card registered; empty for cardless categories
  std::string email;
  std::string notification_certificate_number;
  std::string provisional_number;  // the last application filed
  // The outbox as the control executor last published it: the mails the
  // user can read (a reset code). A function: reading it may ask the
  // emulator (RunContext::snapshot), so only the actions that need it do.
  std::function<nlohmann::json()> mailbox = [] { return nlohmann::json::array(); };
};

// Runs one action; returns its outputs. Refusals propagate as the client
// library's exceptions (OnlineError, FormError, PinRefusedError, CardError);
// wrong arguments as BadArguments.
using ClientAction = std::function<nlohmann::json(ClientRunState& state, const ActionArgs& args)>;

// Action name -> implementation.
const std::map<std::string, ClientAction, std::less<>>& client_actions();

// The password `register` sets when the step gives none.
inline constexpr const char* kDefaultPassword = "Zairyu-Lab-2026";

}  // namespace zairyu::conformance
