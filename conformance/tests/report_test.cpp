// Reports: JUnit XML is well-formed (xmllint when installed, else a small
// tag-balance check) and names the failing check and rule; the JSON has the
// documented shape; the HTML is self-contained; the certification hash
// verifies and detects tampering.
#define BOOST_TEST_MODULE conformance_report_tests
#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>

#include "conformance/report/certification.h"
#include "conformance/report/html_report.h"
#include "conformance/report/json_report.h"
#include "conformance/report/junit_report.h"
#include "conformance/runner/suite_runner.h"
#include "fake_executor.h"

using namespace zairyu::conformance;

namespace {

// Passed, failed (with hostile text in its output), skipped and warning runs.
SuiteRun sample_run() {
  Suite suite;
  suite.name = "fake";
  suite.version = "9.9";
  for (const auto& [id, steps, extra] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"A-001", "  - card: ok\n", ""},
           {"B-001", "  - card: ok\n    expect: [{value: {path: text, equals: \"]]></x>\"}}]\n",
            ""},
           {"C-001", "  - card: ok\n", "requires: [online]\n"},
           {"D-001", "  - card: ok\n    expect: [{error: X, severity: warning}]\n", ""}}) {
    suite.scenarios.push_back(parse_scenario(testing::fake_scenario(id, steps, extra), "f.yaml"));
  }
  return run_suite(suite, RunOptions{}, testing::fake_factory(), nullptr);
}

// Minimal well-formedness: every <tag> closed in order, no stray '<' or '&'.
bool balanced_xml(const std::string& xml) {
  std::vector<std::string> open;
  const std::regex tag(R"(<(/?)([A-Za-z_][\w.-]*)[^<>]*?(/?)>|<\?xml[^>]*\?>)");
  std::size_t position = 0;
  for (auto it = std::sregex_iterator(xml.begin(), xml.end(), tag); it != std::sregex_iterator();
       ++it) {
    const std::string between =
        xml.substr(position, static_cast<std::size_t>(it->position()) - position);
    if (between.find('<') != std::string::npos) return false;
    position = static_cast<std::size_t>(it->position() + it->length());
    if ((*it)[2].length() == 0) continue;  // the XML declaration
    if ((*it)[1] == "/") {
      if (open.empty() || open.back() != (*it)[2]) return false;
      open.pop_back();
    } else if ((*it)[3] != "/") {
      open.push_back((*it)[2]);
    }
  }
  return open.empty() &&
         std::regex_search(xml, std::regex(R"(&(?!(amp|lt|gt|quot|apos);))")) == false;
}

bool xmllint_accepts(const std::string& xml) {
  const auto path = std::filesystem::temp_directory_path() / "zairyu-junit-test.xml";
  std::ofstream(path) << xml;
  const int rc = std::system(("xmllint --noout " + path.string() + " 2>/dev/null").c_str());
  std::filesystem::remove(path);
  return rc == 0;
}

}  // namespace

BOOST_AUTO_TEST_CASE(junit_is_well_formed_and_names_the_check) {
  const SuiteRun run = sample_run();
  const std::string xml = junit_xml(run);
  BOOST_TEST(balanced_xml(xml));
  if (std::system("command -v xmllint >/dev/null 2>&1") == 0) BOOST_TEST(xmllint_accepts(xml));
  BOOST_TEST(xml.find(R"(<testsuite name="fake" tests="4" failures="1" errors="0" skipped="1")") !=
             std::string::npos);
  BOOST_TEST(xml.find(R"(<failure message="s1.1 [FAKE-RULE-001] failure: text = )") !=
             std::string::npos);
  BOOST_TEST(xml.find(R"(type="FAKE-RULE-001")") != std::string::npos);
  BOOST_TEST(xml.find(R"(<skipped message="client does not claim feature online"/>)") !=
             std::string::npos);
  BOOST_TEST(xml.find("]]></x>") == std::string::npos);  // escaped
  BOOST_TEST(xml_escape("a\x01<b") == "a\xEF\xBF\xBD&lt;b");
}

BOOST_AUTO_TEST_CASE(json_shape) {
  const nlohmann::json report = report_json(sample_run());
  BOOST_TEST(report["format"] == kReportFormat);
  BOOST_TEST(report["suite"]["version"] == "9.9");
  for (const char* key : {"total", "passed", "failed", "skipped", "warning", "review",
                          "expected_failures", "unexpected", "unexpected_passes"}) {
    BOOST_TEST_CONTEXT(key) { BOOST_TEST(report["summary"][key].is_number_unsigned()); }
  }
  BOOST_TEST(report["summary"]["total"] == 4);
  BOOST_TEST(report["summary"]["warning"] == 1);
  const nlohmann::json& failed = report["results"][1];
  BOOST_TEST(failed["result"] == "FAILED");
  BOOST_TEST(failed["unexpected"] == true);
  BOOST_TEST(failed["seed"].is_string());
  BOOST_TEST(failed["rules"][0]["id"] == "FAKE-RULE-001");
  const nlohmann::json& check = failed["steps"][0]["checks"][0];
  for (const char* key : {"id", "kind", "rule", "severity", "passed", "expected", "message"}) {
    BOOST_TEST_CONTEXT(key) { BOOST_TEST(check.contains(key)); }
  }
  const nlohmann::json& event = failed["trace"][1];
  BOOST_TEST(event["type"] == "apdu");
  BOOST_TEST(event["data"]["command"] == "00 20 00 80 04 2A 2A 2A 2A");
  BOOST_TEST(event["step"] == 1);
}

BOOST_AUTO_TEST_CASE(html_is_self_contained_and_embeds_the_report) {
  const nlohmann::json report = report_json(sample_run());
  const std::string html = html_report(report);
  BOOST_TEST(html.rfind("<!DOCTYPE html>", 0) == 0u);
  for (const char* external : {"http://", "https://", " src=", "<link", "@import"}) {
    BOOST_TEST_CONTEXT(external) { BOOST_TEST(html.find(external) == std::string::npos); }
  }
  // Hostile text cannot close the data <script> early ...
  BOOST_TEST(html.find("]]></x>") == std::string::npos);
  // ... and the embedded JSON is the report, byte for byte after parsing.
  BOOST_TEST(nlohmann::json::parse(extract_embedded_report(html)) == report);
}

BOOST_AUTO_TEST_CASE(certification_hash_verifies_and_detects_tampering) {
  const SuiteRun run = sample_run();
  const nlohmann::json report =
      certification_report(run, {"ACME", "ACME Apply 2", {"fake", "card.jpki"}});
  BOOST_TEST(report["sha256"].get<std::string>().size() == 64u);
  BOOST_TEST(report["certification"]["declared_features"][1] == "card.jpki");
  const std::string text = dump_json(report, 1);
  BOOST_TEST(verify_report(text).ok);
  // Formatting does not matter: the hash is over the canonical form.
  BOOST_TEST(verify_report(dump_json(report)).ok);
  const std::string html = html_report(report);
  BOOST_TEST(verify_report(html).ok);

  nlohmann::json tampered = report;
  tampered["results"][1]["result"] = "PASSED";
  const Verification bad = verify_report(dump_json(tampered));
  BOOST_TEST(!bad.ok);
  BOOST_TEST(bad.message.find("sha256 mismatch") == 0u);
  std::string tampered_html = html;
  const auto at = tampered_html.find("\"FAILED\"");
  BOOST_TEST_REQUIRE(at != std::string::npos);
  tampered_html.replace(at, 8, "\"PASSED\"");
  BOOST_TEST(!verify_report(tampered_html).ok);

  BOOST_TEST(!verify_report(dump_json(report_json(run))).ok);  // not a certification report
  BOOST_TEST(!verify_report("not json at all").ok);
}
