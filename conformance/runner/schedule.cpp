#include "conformance/runner/schedule.h"

#include <algorithm>
#include <numeric>

namespace zairyu::conformance {
namespace {

constexpr std::int64_t kPerStepMs = 5;
constexpr std::int64_t kCardPresenceChangeMs = 400;  // pcscd's reader poll period
constexpr std::int64_t kFaultMs = 200;               // a refused call: the client retries

// `card: remove|insert`, or the control executor's `card.remove|card.insert`.
bool changes_card_presence(const Action& action) {
  switch (action.kind) {
    case ActionKind::kCard:
      return action.name == "remove" || action.name == "insert";
    case ActionKind::kControl:
      return action.name == "card.remove" || action.name == "card.insert";
    case ActionKind::kClient:
      return false;
  }
  return false;
}

}  // namespace

std::int64_t expected_wait_ms(const Variant& variant) {
  std::int64_t wait = 0;
  for (const Step& step : variant.steps) {
    if (changes_card_presence(step.action)) wait += kCardPresenceChangeMs;
  }
  for (const nlohmann::json& fault : variant.given.faults) {
    const auto latency = fault.find("latency_ms");
    wait += latency != fault.end() && latency->is_number_integer() ? latency->get<std::int64_t>()
                                                                   : kFaultMs;
  }
  return wait;
}

std::int64_t expected_cost_ms(const Variant& variant) {
  return expected_wait_ms(variant) + kPerStepMs * static_cast<std::int64_t>(variant.steps.size());
}

std::vector<std::size_t> dispatch_order(const Suite& suite, const std::vector<RunItem>& items) {
  std::vector<std::int64_t> costs;
  costs.reserve(items.size());
  for (const RunItem& item : items) {
    costs.push_back(expected_cost_ms(suite.scenarios[item.scenario].variants[item.variant]));
  }
  std::vector<std::size_t> order(items.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return costs[a] > costs[b]; });
  return order;
}

RunQueue::RunQueue(const Suite& suite, const std::vector<RunItem>& items)
    : pending_(dispatch_order(suite, items)) {
  waits_.reserve(items.size());
  for (const RunItem& item : items) {
    waits_.push_back(expected_wait_ms(suite.scenarios[item.scenario].variants[item.variant]) > 0);
  }
}

std::optional<std::size_t> RunQueue::take() {
  const std::lock_guard lock(mu_);
  if (pending_.empty()) return std::nullopt;
  auto next = pending_.begin();
  if (waiting_ > 0) {
    const auto computing =
        std::find_if(pending_.begin(), pending_.end(), [&](std::size_t i) { return !waits_[i]; });
    if (computing != pending_.end()) next = computing;
  }
  const std::size_t item = *next;
  pending_.erase(next);
  if (waits_[item]) ++waiting_;
  return item;
}

void RunQueue::finished(std::size_t item) {
  const std::lock_guard lock(mu_);
  if (waits_[item]) --waiting_;
}

}  // namespace zairyu::conformance
