// The command adapter: templates, the result JSON, the adapter file, the
// process runner, and the executor driving a real fake client process.
#define BOOST_TEST_MODULE command_adapter
#include <boost/test/unit_test.hpp>

#include <filesystem>

#include "conformance/adapters/adapter_executor.h"
#include "conformance/adapters/command_adapter.h"
#include "conformance/adapters/command_process.h"
#include "conformance/adapters/command_template.h"
#include "conformance/runner/run_context.h"

namespace zc = zairyu::conformance;
using nlohmann::json;

namespace {

const std::filesystem::path kData = ZAIRYU_ADAPTER_TEST_DATA;

std::optional<zc::TemplateValue> lookup(std::string_view name) {
  if (name == "reader") return zc::TemplateValue{"Reader 0"};
  if (name == "pin.auth") return zc::TemplateValue{"1234", true};
  if (name == "quote") return zc::TemplateValue{"it's"};
  return std::nullopt;
}

bool any_name(std::string_view) { return true; }

// An executor over the fake adapter with reader "Reader 0" and a given
// with the adult-valid card.
struct Fixture {
  Fixture()
      : executor(zc::ClientTarget{"127.0.0.1:1", "Reader 0", ZAIRYU_TEST_PERSONAS_DIR, kData},
                 zc::load_command_adapter(kData / "fake-adapter.yaml")) {
    zc::CardSetup card;
    card.persona = "adult-valid";
    given.cards.push_back(card);
    executor.prepare(given, context);
  }
  zc::StepOutcome run(const std::string& action, json args = json::object()) {
    context.set_step(context.step() + 1);
    return executor.execute(zc::Action{zc::ActionKind::kClient, action, std::move(args)}, context);
  }
  zc::Given given;
  zc::RunContext context{7};
  zc::CommandAdapterExecutor executor;
};

}  // namespace

BOOST_AUTO_TEST_CASE(template_substitutes_escapes_and_masks_secrets) {
  const zc::Expanded e = zc::expand_template("{{x}} on {reader} pin {pin.auth}", lookup, false);
  BOOST_TEST(e.text == "{x} on Reader 0 pin 1234");
  BOOST_TEST(e.traced == "{x} on Reader 0 pin ****");
  BOOST_TEST(zc::expand_template("say {quote}", lookup, true).text == "say 'it'\\''s'");
}

BOOST_AUTO_TEST_CASE(template_errors_are_specific) {
  BOOST_CHECK_THROW(zc::placeholders("{reader", any_name), zc::TemplateError);
  BOOST_CHECK_THROW(zc::placeholders("a } b", any_name), zc::TemplateError);
  BOOST_CHECK_THROW(zc::placeholders("{}", any_name), zc::TemplateError);
  BOOST_CHECK_THROW(zc::placeholders("{nosuch}", [](std::string_view) { return false; }),
                    zc::TemplateError);
  BOOST_CHECK_THROW(zc::expand_template("{missing}", lookup, false), zc::TemplateError);
  BOOST_TEST(zc::placeholders("{a}{{b}}{c}", any_name) == (std::vector<std::string>{"a", "c"}));
}

BOOST_AUTO_TEST_CASE(reply_json_is_checked) {
  const zc::AdapterReply ok =
      zc::parse_adapter_reply(R"({"ok": true, "value": {"user_id": "U1"}})");
  BOOST_TEST(ok.ok);
  BOOST_TEST(ok.value["user_id"] == "U1");
  const zc::AdapterReply refused =
      zc::parse_adapter_reply(R"({"ok": false, "error": "CERTIFICATE_EXPIRED", "message": "m"})");
  BOOST_TEST(!refused.ok);
  BOOST_TEST(refused.error == "CERTIFICATE_EXPIRED");
  for (const char* bad :
       {"", "[]", "{}", R"({"ok": 1})", R"({"ok": false})", R"({"ok": true, "error": "X"})",
        R"({"ok": true, "value": []})", R"({"ok": true, "extra": 1})", "{\"ok\": true"}) {
    BOOST_CHECK_THROW(zc::parse_adapter_reply(bad), std::invalid_argument);
  }
}

BOOST_AUTO_TEST_CASE(adapter_file_errors_name_the_field) {
  const auto error_of = [](const std::string& yaml) -> std::string {
    try {
      zc::parse_command_adapter(yaml, "a.yaml");
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "accepted";
  };
  const std::string head =
      "format: zairyu-command-adapter/1\nvendor: v\nproduct: p\nversion: '1'\n";
  BOOST_TEST(error_of(head + "actions: {login: {argv: [x, '{nosuch}']}}")
                 .find("a.yaml: actions.login.argv[1]: unknown placeholder {nosuch}") !=
             std::string::npos);
  BOOST_TEST(error_of(head + "actions: {login: {argv: [x], shell: y}}").find("actions.login") !=
             std::string::npos);
  BOOST_TEST(error_of(head + "actions: {}").find("a.yaml: actions:") != std::string::npos);
  BOOST_TEST(error_of(head + "bogus: 1\nactions: {a: {argv: [x]}}").find("a.yaml: bogus:") !=
             std::string::npos);
  BOOST_TEST(error_of("format: other/1\n").find("a.yaml: format:") != std::string::npos);
  BOOST_TEST(error_of(head + "timeout: -1\nactions: {a: {argv: [x]}}").find("timeout") !=
             std::string::npos);
  BOOST_TEST(error_of(head + "actions: {a: {argv: [x]}}") == "accepted");
}

BOOST_AUTO_TEST_CASE(process_runner_captures_and_times_out) {
  zc::CommandSpec spec;
  spec.argv = {"sh", "-c", "echo out; echo err >&2; exit 3"};
  const zc::CommandResult done = zc::run_command(spec);
  BOOST_TEST(done.exit_code == 3);
  BOOST_TEST(done.out == "out\n");
  BOOST_TEST(done.err == "err\n");

  spec.argv = {"sh", "-c", "exec 1>&- 2>&-; sleep 30"};  // closes its output, then hangs
  spec.timeout = std::chrono::milliseconds(300);
  const zc::CommandResult hung = zc::run_command(spec);
  BOOST_TEST(hung.timed_out);
  BOOST_TEST(hung.status(spec) == "timeout after 300 ms");

  spec.argv = {"/nonexistent/adapter"};
  BOOST_TEST(zc::run_command(spec).exec_failed);
}

BOOST_FIXTURE_TEST_CASE(executor_passes_request_and_reads_result, Fixture) {
  BOOST_TEST(executor.supports("echo"));
  BOOST_TEST(!executor.supports("login"));
  BOOST_TEST(executor.features() == (std::vector<std::string>{"online.register", "online.login"}));

  const zc::StepOutcome registered = run("register", {{"email", "a@example.com"}});
  BOOST_TEST(registered.ok());
  BOOST_TEST(registered.value["user_id"] == "U-a@example.com");

  const zc::StepOutcome echo = run("echo", {{"user_id", "U9"}, {"form", "forms/x.yaml"}});
  BOOST_TEST_REQUIRE(echo.ok(), echo.error + " " + echo.message);
  BOOST_TEST(echo.value["persona"] == "adult-valid");
  BOOST_TEST(echo.value["reader"] == "Reader 0");
  BOOST_TEST(echo.value["pin_from_env"] == "1234");
  BOOST_TEST(echo.value["cwd_is_workdir"] == true);
  BOOST_TEST(echo.value["state"]["user_id"] == "U-a@example.com");
  BOOST_TEST(echo.value["state"]["password"] == "Zairyu-Lab-2026");
  BOOST_TEST(echo.value["args"]["form"] == (kData / "forms/x.yaml").string());
  BOOST_TEST(echo.value["argv_tail"] == json({"Reader 0", "1234", "U9", "{literal}"}));

  // The trace shows the command with the PIN masked, and when it started.
  const zc::TraceEvent& event = context.trace().back();
  BOOST_TEST(event.type == "rpc");
  BOOST_TEST(event.data["method"] == "adapter echo");
  BOOST_TEST(event.data["status"] == "exit 0");
  BOOST_TEST(event.data["request"]["argv"][5] == "****");
  BOOST_TEST(event.data["request"]["env"] == json({"FAKE_AUTH_PIN"}));
  BOOST_TEST(event.data["response"]["stderr"] == "fake client: echo\n");
  BOOST_TEST(event.data["start_us"].get<std::int64_t>() <= event.t_us);
  executor.finish(context);
}

BOOST_FIXTURE_TEST_CASE(refusals_and_broken_adapters, Fixture) {
  const zc::StepOutcome refused = run("refuse", {{"reason", "ACCESS_FROM_OUTSIDE_JAPAN"}});
  BOOST_TEST(refused.error == "ACCESS_FROM_OUTSIDE_JAPAN");

  const zc::StepOutcome garbage = run("garbage");
  BOOST_TEST(garbage.error == "ADAPTER_ERROR");
  BOOST_TEST(garbage.message.find("stdout is no result JSON (not JSON): this is not JSON") !=
             std::string::npos);

  const zc::StepOutcome slow = run("sleep", {{"seconds", 30}});
  BOOST_TEST(slow.error == "ADAPTER_ERROR");
  BOOST_TEST(slow.message.find("timeout after 500 ms") != std::string::npos);

  const zc::StepOutcome crashed = run("crash");
  BOOST_TEST(crashed.error == "ADAPTER_ERROR");
  BOOST_TEST(crashed.message.find("signal 9") != std::string::npos);

  const zc::StepOutcome no_form = run("needs_form");
  BOOST_TEST(no_form.error == "ADAPTER_ERROR");
  BOOST_TEST(no_form.message.find("{form_file} has no value") != std::string::npos);

  const zc::StepOutcome no_arg = run("echo");  // {arg.user_id} without user_id
  BOOST_TEST(no_arg.error == "ADAPTER_ERROR");
  executor.finish(context);
}
