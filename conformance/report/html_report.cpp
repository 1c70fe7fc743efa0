#include "conformance/report/html_report.h"

#include "conformance/report/html_template.h"
#include "conformance/report/json_report.h"
#include "conformance/report/junit_report.h"

namespace zairyu::conformance {
namespace {

constexpr std::string_view kDataOpen = R"(<script type="application/json" id="zairyu-report">)";
constexpr std::string_view kDataClose = "</script>";

// JSON safe inside <script>: '<' only occurs inside JSON strings, where
// \u003c means the same character, so "</script>" can never appear.
std::string script_safe_json(const nlohmann::json& report) {
  std::string out;
  for (char c : dump_json(report)) {
    if (c == '<') {
      out += "\\u003c";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string html_report(const nlohmann::json& report) {
  std::string title = "zairyu-lab conformance report";
  if (report.contains("suite")) title += " - " + report["suite"].value("name", std::string());
  std::string html(kHtmlHead);
  html += "<title>" + xml_escape(title) + "</title>\n";
  html += kHtmlStyle;
  html += kHtmlBody;
  html += kDataOpen;
  html += script_safe_json(report);
  html += kDataClose;
  html += "\n";
  html += kHtmlScript;
  html += kHtmlTail;
  return html;
}

std::string extract_embedded_report(std::string_view html) {
  const std::size_t open = html.find(kDataOpen);
  if (open == std::string_view::npos) return "";
  const std::size_t start = open + kDataOpen.size();
  const std::size_t close = html.find(kDataClose, start);
  if (close == std::string_view::npos) return "";
  return std::string(html.substr(start, close - start));
}

}  // namespace zairyu::conformance
