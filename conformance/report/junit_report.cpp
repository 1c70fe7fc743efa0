#include "conformance/report/junit_report.h"

#include <cstdio>

namespace zairyu::conformance {
namespace {

std::string seconds(std::int64_t us) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", static_cast<double>(us) / 1e6);
  return text;
}

std::string check_line(const CheckResult& c) {
  return c.id + " [" + c.rule + "] " + std::string(to_string(c.severity)) + ": " + c.message;
}

// Every failed check, one per line, for the failure body / system-out.
std::string failed_checks(const ScenarioResult& r) {
  std::string text;
  for (const StepResult& step : r.steps) {
    for (const CheckResult& c : step.checks) {
      if (!c.passed) text += check_line(c) + (c.expected ? " (expected failure)" : "") + "\n";
    }
  }
  return text;
}

std::string testcase(const ScenarioResult& r, const std::string& suite) {
  std::string xml = "    <testcase classname=\"" + xml_escape(suite + "." + r.scenario_id) +
                    "\" name=\"" + xml_escape(r.display_name() + " " + r.title) + "\" time=\"" +
                    seconds(r.duration_us) + "\"";
  std::string body;
  if (r.result == Result::kSkipped) {
    body += "      <skipped message=\"" + xml_escape(r.skip_reason) + "\"/>\n";
  } else if (const CheckResult* c = r.first_unexpected_failure();
             c != nullptr && r.is_unexpected()) {
    body += "      <failure message=\"" + xml_escape(check_line(*c)) + "\" type=\"" +
            xml_escape(c->rule) + "\">" + xml_escape(failed_checks(r)) + "</failure>\n";
  } else if (!r.unexpected_passes.empty()) {
    std::string text;
    for (const UnexpectedPass& u : r.unexpected_passes) text += u.check + ": " + u.comment + "\n";
    body += "      <failure message=\"" +
            xml_escape("expected failure did not happen: " + r.unexpected_passes.front().check) +
            "\" type=\"UNEXPECTED_PASS\">" + xml_escape(text) + "</failure>\n";
  }
  if (r.result != Result::kPassed && r.result != Result::kSkipped) {
    body += "      <system-out>" +
            xml_escape(std::string(to_string(r.result)) + "\n" + failed_checks(r)) +
            "</system-out>\n";
  }
  return body.empty() ? xml + "/>\n" : xml + ">\n" + body + "    </testcase>\n";
}

}  // namespace

std::string xml_escape(std::string_view text) {
  std::string out;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
          out += "\xEF\xBF\xBD";
        } else {
          out += ch;
        }
    }
  }
  return out;
}

std::string junit_xml(const SuiteRun& run) {
  const Summary s = run.summary();
  std::size_t failures = 0;
  for (const ScenarioResult& r : run.results) failures += r.is_unexpected() ? 1 : 0;
  const std::string counts = " tests=\"" + std::to_string(s.total) + "\" failures=\"" +
                             std::to_string(failures) + "\" errors=\"0\" skipped=\"" +
                             std::to_string(s.skipped) + "\" time=\"" + seconds(run.duration_us) +
                             "\"";
  std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"zairyu-conformance\"" +
      counts + ">\n";
  xml += "  <testsuite name=\"" + xml_escape(run.suite_name) + "\"" + counts + " timestamp=\"" +
         xml_escape(run.started_at) + "\">\n";
  xml += "    <properties>\n";
  xml +=
      "      <property name=\"suite.version\" value=\"" + xml_escape(run.suite_version) + "\"/>\n";
  xml += "      <property name=\"seed\" value=\"" + std::to_string(run.seed) + "\"/>\n";
  xml += "      <property name=\"transport\" value=\"" + xml_escape(run.transport) + "\"/>\n";
  xml += "    </properties>\n";
  for (const ScenarioResult& r : run.results) xml += testcase(r, run.suite_name);
  xml += "  </testsuite>\n</testsuites>\n";
  return xml;
}

}  // namespace zairyu::conformance
