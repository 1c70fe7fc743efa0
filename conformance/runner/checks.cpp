#include "conformance/runner/checks.h"

#include <cstdio>
#include <string>

namespace zairyu::conformance {
namespace {

// Fills `result` and returns it, for one-line returns below.
CheckResult& verdict(CheckResult& result, bool passed, std::string message) {
  result.passed = passed;
  result.message = std::move(message);
  return result;
}

std::string outcome_text(const StepOutcome& outcome) {
  if (outcome.ok()) return "ok";
  return "error " + outcome.error + (outcome.message.empty() ? "" : " (" + outcome.message + ")");
}

// `path` is dot-separated ("cert.subject"); nullptr when absent.
const nlohmann::json* lookup(const nlohmann::json& root, const std::string& path) {
  const nlohmann::json* node = &root;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('.', start);
    if (end == std::string::npos) end = path.size();
    const std::string key = path.substr(start, end - start);
    if (!node->is_object() || !node->contains(key)) return nullptr;
    node = &(*node)[key];
    start = end + 1;
  }
  return node;
}

std::string hex_byte(std::uint8_t byte) {
  char text[3];
  std::snprintf(text, sizeof text, "%02X", byte);
  return text;
}

std::string hex_sw(std::uint16_t sw) {
  return hex_byte(static_cast<std::uint8_t>(sw >> 8)) + hex_byte(static_cast<std::uint8_t>(sw));
}

// True when the APDU matches every selector field present in `selector`.
bool selects(const nlohmann::json& selector, const ApduRecord& apdu) {
  const auto& c = apdu.command;
  const char* fields[] = {"cla", "ins", "p1", "p2"};
  for (std::size_t i = 0; i < 4; ++i) {
    if (!selector.contains(fields[i])) continue;
    if (c.size() <= i || hex_byte(c[i]) != selector[fields[i]].get<std::string>()) return false;
  }
  if (selector.contains("with_data")) {
    // Case 3/4 short APDUs carry Lc at byte 4 followed by that many bytes.
    const bool has_data = c.size() > 5 && c[4] != 0;
    if (has_data != selector["with_data"].get<bool>()) return false;
  }
  return true;
}

std::string describe_selector(const nlohmann::json& selector) {
  std::string text;
  for (const char* field : {"cla", "ins", "p1", "p2"}) {
    if (selector.contains(field))
      text += std::string(field) + "=" + selector[field].get<std::string>() + " ";
  }
  if (selector.contains("with_data"))
    text += selector["with_data"].get<bool>() ? "with data " : "without data ";
  return text.empty() ? "any APDU" : "APDUs " + text.substr(0, text.size() - 1);
}

CheckResult& check_apdus(CheckResult& r, const nlohmann::json& p, const RunContext& context,
                         std::size_t first) {
  const auto& all = context.apdus();
  const std::size_t from = p["since"] == "step" ? first : 0;
  std::vector<const ApduRecord*> matching;
  for (std::size_t i = from; i < all.size(); ++i) {
    if (selects(p, all[i])) matching.push_back(&all[i]);
  }
  const std::string what = describe_selector(p);
  if (p.contains("count")) {
    const auto want = p["count"].get<std::size_t>();
    if (matching.size() != want) {
      return verdict(r, false,
                     "expected " + std::to_string(want) + " " + what + ", saw " +
                         std::to_string(matching.size()));
    }
  }
  if (p.contains("last_sw")) {
    const std::string want = p["last_sw"];
    if (matching.empty())
      return verdict(r, false, "expected " + what + " ending " + want + ", saw none");
    const std::string seen = hex_sw(matching.back()->sw);
    if (seen != want)
      return verdict(r, false, "last of " + what + " answered " + seen + ", expected " + want);
  }
  if (p.contains("none_after")) {
    const nlohmann::json& trigger = p["none_after"];
    const std::string sw = trigger["sw"];
    std::size_t trigger_at = all.size();
    for (std::size_t i = from; i < all.size(); ++i) {
      if (hex_sw(all[i].sw) == sw && selects(trigger, all[i])) {
        trigger_at = i;
        break;
      }
    }
    for (const ApduRecord* apdu : matching) {
      if (static_cast<std::size_t>(apdu - all.data()) > trigger_at) {
        return verdict(
            r, false,
            what + " sent after the card answered " + sw + ": " + hex_bytes(apdu->command));
      }
    }
  }
  return verdict(r, true, "saw " + std::to_string(matching.size()) + " " + what);
}

CheckResult& check_value(CheckResult& r, const nlohmann::json& p, const StepOutcome& outcome) {
  const std::string path = p["path"];
  const nlohmann::json* actual = lookup(outcome.value, path);
  if (actual == nullptr)
    return verdict(r, false, "step output has no '" + path + "' (" + outcome_text(outcome) + ")");
  if (p.contains("equals")) {
    const bool same = *actual == p["equals"];
    return verdict(
        r, same, path + " = " + actual->dump() + (same ? "" : ", expected " + p["equals"].dump()));
  }
  const std::string needle = p["contains"];
  const std::string haystack = actual->is_string() ? actual->get<std::string>() : actual->dump();
  const bool found = haystack.find(needle) != std::string::npos;
  return verdict(
      r, found,
      path + " = " + actual->dump() + (found ? " contains " : " lacks ") + "\"" + needle + "\"");
}

CheckResult& check_outbox(CheckResult& r, const nlohmann::json& p, const RunContext& context) {
  const nlohmann::json* outbox = context.snapshot("outbox");
  if (outbox == nullptr || !outbox->is_array()) {
    return verdict(r, false, "no outbox snapshot (needs the control executor)");
  }
  std::size_t count = 0;
  for (const auto& message : *outbox) {
    auto field_has = [&](const char* check_field, const char* message_field) {
      if (!p.contains(check_field)) return true;
      const std::string value = message.value(message_field, std::string());
      return value.find(p[check_field].get<std::string>()) != std::string::npos;
    };
    if (field_has("to", "to") && field_has("subject_contains", "subject") &&
        field_has("body_contains", "body")) {
      ++count;
    }
  }
  const bool ok = p.contains("count") ? count == p["count"].get<std::size_t>() : count > 0;
  return verdict(r, ok,
                 std::to_string(count) + " matching outbox message(s)" +
                     (p.contains("count") ? ", expected " + p["count"].dump() : ""));
}

CheckResult& check_audit(CheckResult& r, const nlohmann::json& p, const RunContext& context) {
  const nlohmann::json* audit = context.snapshot("audit");
  if (audit == nullptr || !audit->is_array()) {
    return verdict(r, false, "no audit snapshot (needs the control executor)");
  }
  std::size_t count = 0;
  for (const auto& event : *audit) {
    if (event.value("event", std::string()) != p["event"]) continue;
    if (p.contains("reason") && event.value("reason", std::string()) != p["reason"]) continue;
    ++count;
  }
  const bool ok = p.contains("count") ? count == p["count"].get<std::size_t>() : count > 0;
  return verdict(r, ok,
                 std::to_string(count) + " audit event(s) " + p["event"].get<std::string>() +
                     (p.contains("count") ? ", expected " + p["count"].dump() : ""));
}

}  // namespace

CheckResult evaluate_check(const Check& check, const StepOutcome& outcome,
                           const RunContext& context, std::size_t first_apdu_of_step) {
  CheckResult r;
  r.id = check.id;
  r.kind = check.kind;
  r.rule = check.rule;
  r.severity = check.severity;
  const nlohmann::json& p = check.params;
  switch (check.kind) {
    case CheckKind::kResult:
      return verdict(r, outcome.ok(), "expected ok, got " + outcome_text(outcome));
    case CheckKind::kError: {
      const std::string want = p;
      return verdict(r, outcome.error == want,
                     "expected error " + want + ", got " + outcome_text(outcome));
    }
    case CheckKind::kValue:
      return check_value(r, p, outcome);
    case CheckKind::kOutbox:
      return check_outbox(r, p, context);
    case CheckKind::kAudit:
      return check_audit(r, p, context);
    case CheckKind::kApdus:
      return check_apdus(r, p, context, first_apdu_of_step);
  }
  return verdict(r, false, "unknown check kind");
}

}  // namespace zairyu::conformance
