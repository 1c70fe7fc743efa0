// The card actions of the card executors (direct and pcsc), one function each.
#pragma once

#include <functional>
#include <map>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "conformance/card/card_slot.h"
#include "conformance/runner/executor.h"

namespace zairyu::conformance {

// Arguments a scenario got wrong; the executor reports it as BAD_ARGS.
class BadArguments : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Runs an action on a slot and returns its outputs. Card and client errors
// propagate as the client library's exceptions.
using CardAction = std::function<nlohmann::json(CardSlot& slot, const nlohmann::json& args)>;

// Action name -> implementation.
const std::map<std::string, CardAction, std::less<>>& card_actions();

}  // namespace zairyu::conformance
