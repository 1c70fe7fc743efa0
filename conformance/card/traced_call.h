// traced(): runs a call that handles the card (a CardControl RPC, a wait
// on pcscd) and traces it as an rpc event with its start, so reports can
// tell card-handling time from the harness's own. A failure is traced as
// FAILED with its message, then rethrown.
#pragma once

#include <exception>
#include <string>
#include <type_traits>

#include "conformance/runner/run_context.h"

namespace zairyu::conformance {

template <typename Call>
auto traced(RunContext& context, const std::string& what, int slot, Call&& call) {
  const std::int64_t started = context.elapsed_us();
  try {
    if constexpr (std::is_void_v<decltype(call())>) {
      call();
      context.add_rpc(what, "OK", {{"slot", slot}}, nlohmann::json::object(), started);
    } else {
      auto result = call();
      context.add_rpc(what, "OK", {{"slot", slot}}, nlohmann::json::object(), started);
      return result;
    }
  } catch (const std::exception& e) {
    context.add_rpc(what, "FAILED", {{"slot", slot}}, e.what(), started);
    throw;
  }
}

}  // namespace zairyu::conformance
