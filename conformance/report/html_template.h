// The static parts of the HTML report. The page renders everything from the
// embedded JSON with DOM calls and textContent only (never innerHTML with
// data: card data and client messages may be hostile).
#pragma once

#include <string_view>

namespace zairyu::conformance {

inline constexpr std::string_view kHtmlHead = R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
)";

inline constexpr std::string_view kHtmlStyle = R"(<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 0; color: #1d232a; background: #f6f7f9; }
header { background: #1d2b3a; color: #fff; padding: 16px 24px; }
header h1 { margin: 0 0 4px; font-size: 20px; }
header .meta { opacity: .8; font-size: 12px; }
main { padding: 16px 24px; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #e3e6ea; vertical-align: top; }
th { background: #eef1f4; font-weight: 600; }
#summary td { font-size: 18px; font-weight: 600; text-align: center; }
#summary th { text-align: center; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; color: #fff; }
.PASSED { background: #2e7d32; } .FAILED { background: #c62828; } .SKIPPED { background: #78909c; }
.WARNING { background: #ef8f00; } .REVIEW { background: #6a1b9a; }
.expected { background: #8d6e63; } .unexpected { outline: 2px solid #c62828; }
.filters { margin: 12px 0; } .filters button { margin-right: 6px; padding: 3px 10px; cursor: pointer; }
details { margin: 4px 0 8px; } summary { cursor: pointer; color: #34495e; }
.step { margin: 6px 0 6px 8px; padding-left: 8px; border-left: 3px solid #cfd8dc; }
.step.bad { border-left-color: #c62828; }
.check { font-family: ui-monospace, monospace; font-size: 12px; margin-left: 12px; }
.check.pass::before { content: "\2713  "; color: #2e7d32; }
.check.fail::before { content: "\2717  "; color: #c62828; }
.rule { color: #1565c0; }
.timeline { border-left: 2px solid #90a4ae; margin: 6px 0 6px 12px; padding-left: 10px; }
.event { font-family: ui-monospace, monospace; font-size: 12px; white-space: pre-wrap; word-break: break-all; }
.event .t { color: #78909c; display: inline-block; min-width: 90px; }
.event.apdu .kind { color: #00695c; } .event.rpc .kind { color: #4527a0; } .event.note .kind { color: #795548; }
.cert { background: #fff8e1; border: 1px solid #ffe082; padding: 8px 12px; margin-bottom: 12px; }
</style>
)";

inline constexpr std::string_view kHtmlBody = R"(</head>
<body>
<header><h1 id="title">zairyu-lab conformance report</h1><div class="meta" id="meta"></div></header>
<main>
<noscript><p>This report is drawn by JavaScript from the JSON embedded in the file.</p></noscript>
<div id="certification"></div>
<table id="summary"><thead><tr></tr></thead><tbody><tr></tr></tbody></table>
<div class="filters" id="filters"></div>
<table id="results"><thead><tr><th>Scenario</th><th>Title</th><th>Result</th><th>Rules</th><th>Time</th></tr></thead><tbody></tbody></table>
</main>
)";

inline constexpr std::string_view kHtmlScript = R"JS(<script>
(function () {
  "use strict";
  var report = JSON.parse(document.getElementById("zairyu-report").textContent);
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function ms(us) { return (us / 1000).toFixed(1) + " ms"; }

  var suite = report.suite || {};
  document.getElementById("title").textContent =
      "zairyu-lab conformance: " + suite.name + " " + suite.version;
  document.getElementById("meta").textContent =
      "started " + report.started_at + " \u00b7 transport " + report.transport + " \u00b7 seed " +
      suite.seed + " \u00b7 " + ms(report.duration_us) + " \u00b7 features: " + (report.features || []).join(", ");

  if (report.certification) {
    var c = report.certification, box = document.getElementById("certification");
    box.className = "cert";
    box.appendChild(el("div", "", "Certification report \u2014 vendor " + c.vendor + ", product " + c.product +
        ", suite " + c.suite_name + " " + c.suite_version));
    box.appendChild(el("div", "", "Declared features: " + c.declared_features.join(", ")));
    box.appendChild(el("div", "", "SHA-256 of the canonical JSON: " + report.sha256 +
        " (check with: zairyu-conformance verify-report FILE)"));
  }

  var counts = [["total", "Total"], ["passed", "Passed"], ["failed", "Failed"], ["skipped", "Skipped"],
                ["warning", "Warning"], ["review", "Review"], ["expected_failures", "Expected failures"],
                ["unexpected", "Unexpected"]];
  var head = document.querySelector("#summary thead tr"), body = document.querySelector("#summary tbody tr");
  counts.forEach(function (c) {
    head.appendChild(el("th", "", c[1]));
    var td = el("td", "", report.summary[c[0]]);
    td.id = "count-" + c[0];
    body.appendChild(td);
  });

  function renderStep(step) {
    var bad = step.checks.some(function (c) { return !c.passed; });
    var div = el("div", "step" + (bad ? " bad" : ""));
    var outcome = step.outcome.ok ? "ok" : "error " + step.outcome.error;
    div.appendChild(el("div", "", "Step " + step.number + ": " + step.kind + " " + step.action + " " +
        JSON.stringify(step.args) + " \u2192 " + outcome + " (" + ms(step.duration_us) + ")"));
    if (step.outcome.message) div.appendChild(el("div", "check", step.outcome.message));
    if (Object.keys(step.outcome.value || {}).length) {
      div.appendChild(el("div", "check", "value " + JSON.stringify(step.outcome.value)));
    }
    step.checks.forEach(function (c) {
      var line = el("div", "check " + (c.passed ? "pass" : "fail"));
      line.appendChild(el("span", "", c.id + " "));
      line.appendChild(el("span", "rule", "[" + c.rule + "] "));
      line.appendChild(el("span", "", c.kind + (c.severity !== "failure" ? " (" + c.severity + ")" : "") +
          ": " + c.message + (c.expected ? "  \u2014 expected failure" : "")));
      div.appendChild(line);
    });
    return div;
  }

  function describeEvent(e) {
    var d = e.data || {};
    if (e.type === "apdu") return d.command + "  \u2192  " + (d.response || d.error);
    if (e.type === "rpc") return d.method + " " + d.status + " " + JSON.stringify(d.request) +
        " \u2192 " + JSON.stringify(d.response);
    return d.text;
  }

  function renderDetails(r) {
    var details = el("details");
    if (r.result === "FAILED" || r.unexpected) details.open = true;
    details.appendChild(el("summary", "", r.steps.length + " steps, " + r.trace.length + " trace events"));
    if (r.skip_reason) details.appendChild(el("div", "check", "skipped: " + r.skip_reason));
    r.unexpected_passes.forEach(function (u) {
      details.appendChild(el("div", "check fail", "expected failure did not happen: " + u.check + " (" + u.comment + ")"));
    });
    r.rules.forEach(function (rule) {
      details.appendChild(el("div", "check", rule.id + ": " + rule.source + (rule.seed ? ", seed " + rule.seed : "")));
    });
    r.steps.forEach(function (s) { details.appendChild(renderStep(s)); });
    if (r.trace.length) {
      details.appendChild(el("div", "", "Trace"));
      var line = el("div", "timeline");
      r.trace.forEach(function (e) {
        var row = el("div", "event " + e.type);
        row.appendChild(el("span", "t", "+" + ms(e.t_us)));
        row.appendChild(el("span", "kind", "s" + e.step + " " + e.type.toUpperCase() + "  "));
        row.appendChild(el("span", "", describeEvent(e)));
        line.appendChild(row);
      });
      details.appendChild(line);
    }
    return details;
  }

  var tbody = document.querySelector("#results tbody");
  var rows = [];
  report.results.forEach(function (r) {
    var tr = el("tr", r.unexpected ? "unexpected" : "");
    tr.dataset.result = r.result;
    tr.appendChild(el("td", "", r.name));
    tr.appendChild(el("td", "", r.title));
    var cell = el("td");
    cell.appendChild(el("span", "badge " + r.result, r.result));
    if (r.expected_failure) { cell.appendChild(document.createTextNode(" ")); cell.appendChild(el("span", "badge expected", "expected")); }
    tr.appendChild(cell);
    tr.appendChild(el("td", "rule", r.rules.map(function (x) { return x.id; }).join(", ")));
    tr.appendChild(el("td", "", ms(r.duration_us)));
    var detailRow = el("tr");
    detailRow.dataset.result = r.result;
    var td = el("td");
    td.colSpan = 5;
    td.appendChild(renderDetails(r));
    detailRow.appendChild(td);
    tbody.appendChild(tr);
    tbody.appendChild(detailRow);
    rows.push(tr, detailRow);
  });

  var filters = document.getElementById("filters");
  ["ALL", "PASSED", "FAILED", "SKIPPED", "WARNING", "REVIEW"].forEach(function (name) {
    var button = el("button", "", name);
    button.addEventListener("click", function () {
      rows.forEach(function (row) {
        row.style.display = name === "ALL" || row.dataset.result === name ? "" : "none";
      });
    });
    filters.appendChild(button);
  });
  document.body.dataset.rendered = "true";
})();
</script>
)JS";

inline constexpr std::string_view kHtmlTail = R"(</body>
</html>
)";

}  // namespace zairyu::conformance
