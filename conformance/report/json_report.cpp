#include "conformance/report/json_report.h"

namespace zairyu::conformance {
namespace {

using nlohmann::json;

json check_json(const CheckResult& c) {
  return {{"id", c.id},          {"kind", to_string(c.kind)},
          {"rule", c.rule},      {"severity", to_string(c.severity)},
          {"passed", c.passed},  {"expected", c.expected},
          {"message", c.message}};
}

json step_json(const StepResult& s) {
  json checks = json::array();
  for (const CheckResult& c : s.checks) checks.push_back(check_json(c));
  return {{"number", s.number},
          {"kind", to_string(s.action.kind)},
          {"action", s.action.name},
          {"args", s.action.args},
          {"outcome",
           {{"ok", s.outcome.ok()},
            {"error", s.outcome.error},
            {"message", s.outcome.message},
            {"value", s.outcome.value}}},
          {"duration_us", s.duration_us},
          {"checks", checks}};
}

json result_json(const ScenarioResult& r) {
  json rules = json::array();
  for (const RuleRef& rule : r.rules)
    rules.push_back({{"id", rule.id}, {"source", rule.source}, {"seed", rule.seed}});
  json steps = json::array();
  for (const StepResult& s : r.steps) steps.push_back(step_json(s));
  json trace = json::array();
  for (const TraceEvent& e : r.trace) {
    trace.push_back({{"t_us", e.t_us}, {"step", e.step}, {"type", e.type}, {"data", e.data}});
  }
  json unexpected_passes = json::array();
  for (const UnexpectedPass& u : r.unexpected_passes) {
    unexpected_passes.push_back({{"check", u.check}, {"comment", u.comment}});
  }
  return {{"id", r.scenario_id},
          {"title", r.title},
          {"file", r.file},
          {"variant", r.variant},
          {"name", r.display_name()},
          {"result", to_string(r.result)},
          // As a string: JavaScript numbers lose 64-bit precision.
          {"seed", std::to_string(r.seed)},
          {"skip_reason", r.skip_reason},
          {"duration_us", r.duration_us},
          {"worker", r.worker},
          {"started_us", r.started_us},
          {"expected_failure", r.expected_failure},
          {"unexpected", r.is_unexpected()},
          {"unexpected_passes", unexpected_passes},
          {"rules", rules},
          {"tags", r.tags},
          {"steps", steps},
          {"trace", trace},
          {"snapshots", r.snapshots}};
}

}  // namespace

json report_json(const SuiteRun& run) {
  const Summary s = run.summary();
  json results = json::array();
  for (const ScenarioResult& r : run.results) results.push_back(result_json(r));
  return {{"format", kReportFormat},
          {"suite",
           {{"name", run.suite_name},
            {"version", run.suite_version},
            {"seed", std::to_string(run.seed)}}},
          {"transport", run.transport},
          {"features", run.features},
          {"started_at", run.started_at},
          {"duration_us", run.duration_us},
          {"summary",
           {{"total", s.total},
            {"passed", s.passed},
            {"failed", s.failed},
            {"skipped", s.skipped},
            {"warning", s.warning},
            {"review", s.review},
            {"expected_failures", s.expected_failures},
            {"unexpected", s.unexpected},
            {"unexpected_passes", s.unexpected_passes}}},
          {"results", results}};
}

std::string dump_json(const nlohmann::json& value, int indent) {
  return value.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace zairyu::conformance
