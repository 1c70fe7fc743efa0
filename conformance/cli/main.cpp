// zairyu-conformance: runs conformance suites and writes their reports.
//   run            run a suite (or a filtered / sharded part of it)
//   list           print the runs `run` would execute
//   verify-report  check a certification report's embedded SHA-256
// Exit codes: 0 all as expected, 1 unexpected results, 2 usage or setup error.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "conformance/adapters/adapter_options.h"
#include "conformance/card/direct_card_executor.h"
#include "conformance/card/pcsc_card_executor.h"
#include "conformance/card/pcsc_environment.h"
#include "conformance/online/client_executor.h"
#include "conformance/online/control_executor.h"
#include "conformance/online/online_environment.h"
#include "conformance/report/certification.h"
#include "conformance/report/html_report.h"
#include "conformance/report/json_report.h"
#include "conformance/report/junit_report.h"
#include "conformance/runner/stop_on_signal.h"
#include "conformance/runner/suite_runner.h"
#include "conformance/scenario/expected_failures.h"
#include "conformance/scenario/suite.h"
#include "zairyu/client/pcsc_transport.h"

namespace {

using namespace zairyu::conformance;

// Options of `run` and `list`.
struct Cli {
  std::string suite;
  std::vector<std::string> filters;
  std::string shard = "1/1";
  std::string shard_by = "hash";
  std::size_t workers = 1;
  std::string junit, json, html;
  std::string expected_failures;
  std::string transport = "pcsc";
  std::optional<std::uint64_t> seed;
  std::vector<std::string> features;
  std::string personas, pki;
  // pcsc transport: an emulator and readers already running, or what to start.
  std::string attach_emulator, reader_prefix;
  int vpcd_port_base = 42800;
  std::string emulator = ZAIRYU_DEFAULT_EMULATOR, pcscd_script = ZAIRYU_DEFAULT_PCSCD_SCRIPT;
  std::string pcsc_run_dir;
  ClientUnderTestOptions client_under_test;  // --client, --reader (adapters/adapter_options.h)
  bool certify = false;
  std::string vendor = "zairyu-lab", product = "zairyu client engine";
};

// --personas / --pki, else the environment, else the build tree's.
std::string path_setting(const std::string& flag, const char* env, const char* built_in) {
  if (!flag.empty()) return flag;
  if (const char* value = std::getenv(env); value != nullptr && *value != '\0') return value;
  return built_in;
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out.flush()) throw std::runtime_error("cannot write " + path);
}

// --expected-failures, else the suite's own expected-failures.yaml (its
// known gaps) when it has one, else none.
std::string expected_failures_file(const Cli& cli) {
  if (!cli.expected_failures.empty()) return cli.expected_failures;
  const std::filesystem::path suite(cli.suite);
  const auto own = (std::filesystem::is_directory(suite) ? suite : suite.parent_path()) /
                   "expected-failures.yaml";
  return std::filesystem::exists(own) ? own.string() : "";
}

RunOptions run_options(const Cli& cli) {
  RunOptions options;
  options.filters = cli.filters;
  const auto shard = parse_shard(cli.shard);
  if (!shard) throw CLI::ValidationError("--shard", "must be i/n with 1 <= i <= n");
  options.shard = *shard;
  options.shard_mode = cli.shard_by == "index" ? ShardMode::kIndex : ShardMode::kHash;
  options.workers = cli.workers;
  options.seed = cli.seed;
  options.transport = cli.transport;
  if (!cli.features.empty())
    options.features = std::set<std::string>(cli.features.begin(), cli.features.end());
  if (const std::string file = expected_failures_file(cli); !file.empty()) {
    options.expected_failures = parse_expected_failures(read_text_file(file), file);
  }
  return options;
}

int list(const Cli& cli) {
  const Suite suite = load_suite(cli.suite);
  for (const RunItem& item : planned_runs(suite, run_options(cli))) {
    const Scenario& s = suite.scenarios[item.scenario];
    const Variant& v = s.variants[item.variant];
    std::string rules;
    for (const RuleRef& r : s.rules) rules += (rules.empty() ? "" : ",") + r.id;
    std::printf("%s%s\t%s\t%s\n", s.id.c_str(), v.name.empty() ? "" : ("[" + v.name + "]").c_str(),
                rules.c_str(), s.title.c_str());
  }
  return 0;
}

void print_summary(const SuiteRun& run) {
  const Summary s = run.summary();
  std::printf(
      "%s %s: %zu runs: %zu passed, %zu failed, %zu skipped, %zu warning, %zu review; "
      "%zu expected failures, %zu unexpected passes (%.2f s)\n",
      run.suite_name.c_str(), run.suite_version.c_str(), s.total, s.passed, s.failed, s.skipped,
      s.warning, s.review, s.expected_failures, s.unexpected_passes,
      static_cast<double>(run.duration_us) / 1e6);
  for (const ScenarioResult& r : run.results) {
    if (!r.is_unexpected()) continue;
    if (const CheckResult* c = r.first_unexpected_failure()) {
      std::printf("  FAILED %s: %s [%s] %s\n", r.display_name().c_str(), c->id.c_str(),
                  c->rule.c_str(), c->message.c_str());
    }
    for (const UnexpectedPass& u : r.unexpected_passes) {
      std::printf("  UNEXPECTED PASS %s: %s (%s)\n", r.display_name().c_str(), u.check.c_str(),
                  u.comment.c_str());
    }
  }
}

// True when some run of the suite drives the online system (a client or
// control step): then every worker gets its own emulator.
bool uses_online_system(const Suite& suite) {
  for (const Scenario& scenario : suite.scenarios) {
    for (const Variant& variant : scenario.variants) {
      for (const Step& step : variant.steps) {
        if (step.action.kind != zairyu::conformance::ActionKind::kCard) return true;
      }
    }
  }
  return false;
}

// One emulator per worker for the online system (whatever the card
// transport), or none when the suite has no online steps. They start in the
// background: wait_until_serving() before use.
std::unique_ptr<OnlineEnvironment> start_online_system(const Cli& cli, const Suite& suite,
                                                       const std::string& personas,
                                                       const std::string& pki,
                                                       StopOnSignal& stop_on_signal) {
  if (!uses_online_system(suite)) return nullptr;
  return std::make_unique<OnlineEnvironment>(
      OnlineEnvironmentOptions{cli.emulator, personas, pki, "", cli.workers}, stop_on_signal);
}

// Adds worker `worker`'s control and client executors to `set`; they use
// its card executor (already in the set).
void add_online_executors(ExecutorSet& set, std::size_t worker, const OnlineEnvironment& online,
                          const Suite& suite) {
  auto* card = dynamic_cast<CardExecutor*>(set.at(zairyu::conformance::ActionKind::kCard).get());
  set[zairyu::conformance::ActionKind::kControl] =
      std::make_unique<ControlExecutor>(online.address(worker), card);
  set[zairyu::conformance::ActionKind::kClient] =
      std::make_unique<ClientExecutor>(online.address(worker), *card, suite.directory);
}

// The readers of pcscd whose names start with `prefix`, in pcscd's order.
std::vector<std::string> readers_with_prefix(const std::string& prefix) {
  std::vector<std::string> readers;
  for (const std::string& name : zairyu::client::PcscTransport::list_readers()) {
    if (name.starts_with(prefix)) readers.push_back(name);
  }
  return readers;
}

int run(const Cli& cli) {
  if (cli.attach_emulator.empty() != cli.reader_prefix.empty()) {
    throw CLI::ValidationError("--attach-emulator", "goes with --reader-prefix");
  }
  const Suite suite = load_suite(cli.suite);
  const RunOptions options = run_options(cli);
  const ClientUnderTest client_under_test(cli.client_under_test);
  client_under_test.check(cli.workers, cli.transport);
  const std::string personas =
      path_setting(cli.personas, "ZAIRYU_PERSONAS_DIR", ZAIRYU_DEFAULT_PERSONAS_DIR);
  const std::string pki = path_setting(cli.pki, "ZAIRYU_PKI_DIR", ZAIRYU_DEFAULT_PKI_DIR);

  // Before any thread or child process: a signal stops what the run started.
  StopOnSignal stop_on_signal;
  // Comes up while pcscd and the card emulator start.
  const std::unique_ptr<OnlineEnvironment> online =
      start_online_system(cli, suite, personas, pki, stop_on_signal);

  // pcsc: worker i uses emulator slot i, read through readers[i].
  std::unique_ptr<PcscEnvironment> environment;
  std::shared_ptr<EmulatorCardControl> control;
  std::vector<std::string> readers;
  if (cli.transport == "pcsc" && !client_under_test.uses_readers()) {
    std::string address = cli.attach_emulator;
    if (address.empty()) {
      environment = std::make_unique<PcscEnvironment>(
          PcscEnvironmentOptions{cli.pcscd_script, cli.emulator, personas, pki, cli.pcsc_run_dir,
                                 cli.vpcd_port_base, cli.workers},
          stop_on_signal);
      address = environment->emulator_address();
      readers = environment->readers();
    } else {
      readers = readers_with_prefix(cli.reader_prefix);
      if (readers.size() < cli.workers) {
        throw std::runtime_error(std::to_string(readers.size()) + " reader(s) named '" +
                                 cli.reader_prefix + "...' for " + std::to_string(cli.workers) +
                                 " worker(s)");
      }
    }
    control = std::make_shared<EmulatorCardControl>(address);
  }
  if (online) online->wait_until_serving();
  const ExecutorFactory factory = [&](std::size_t worker) {
    ExecutorSet set;
    if (auto card = client_under_test.make_reader_card_executor(worker, personas, pki)) {
      set[zairyu::conformance::ActionKind::kCard] = std::move(card);
    } else if (control) {
      set[zairyu::conformance::ActionKind::kCard] =
          std::make_unique<PcscCardExecutor>(personas, pki, control, static_cast<int>(worker),
                                             readers.at(worker), !client_under_test.in_process());
    } else {
      set[zairyu::conformance::ActionKind::kCard] =
          std::make_unique<DirectCardExecutor>(personas, pki);
    }
    if (online) add_online_executors(set, worker, *online, suite);
    if (online)
      client_under_test.add_client(set, worker, online->address(worker), readers, personas,
                                   suite.directory);
    return set;
  };
  Progress progress(stderr, planned_runs(suite, options).size(), isatty(STDERR_FILENO) == 1);
  // Registered last, so on a signal it runs first, before the emulators stop.
  const auto quiet_on_stop = stop_on_signal.on_stop([&progress] { progress.stop(); });
  const SuiteRun result = run_suite(suite, options, factory, &progress);

  const nlohmann::json report =
      cli.certify ? certification_report(result, {cli.vendor, cli.product, result.features})
                  : report_json(result);
  if (!cli.json.empty()) write_file(cli.json, dump_json(report, 1) + "\n");
  if (!cli.junit.empty()) write_file(cli.junit, junit_xml(result));
  if (!cli.html.empty()) write_file(cli.html, html_report(report));
  print_summary(result);
  if (!cli.html.empty()) std::printf("HTML report: %s\n", cli.html.c_str());
  return result.summary().unexpected > 0 ? 1 : 0;
}

void add_selection(CLI::App* command, Cli& cli) {
  command->add_option("--suite", cli.suite, "suite directory or suite.yaml")->required();
  command->add_option("--filter", cli.filters, "glob over scenario ids, or tag:GLOB (repeatable)");
  command->add_option("--shard", cli.shard, "i/n, 1-based: run only shard i of n");
  command->add_option("--shard-by", cli.shard_by, "hash (stable per scenario id) or index")
      ->check(CLI::IsMember({"hash", "index"}));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"zairyu-conformance: scripted conformance scenarios and their reports"};
  app.require_subcommand(1);
  Cli cli;

  CLI::App* run_cmd = app.add_subcommand("run", "run a suite");
  add_selection(run_cmd, cli);
  run_cmd->add_option("--workers", cli.workers, "parallel workers")->check(CLI::Range(1, 64));
  run_cmd->add_option("--junit", cli.junit, "write JUnit XML here");
  run_cmd->add_option("--json", cli.json, "write the JSON report here");
  run_cmd->add_option("--html", cli.html, "write the self-contained HTML report here");
  run_cmd->add_option("--expected-failures", cli.expected_failures,
                      "expected-failures YAML (default: the suite's expected-failures.yaml)");
  run_cmd
      ->add_option("--transport", cli.transport,
                   "card transport: pcsc (pcscd readers, default) or direct (in process)")
      ->check(CLI::IsMember({"pcsc", "direct"}));
  run_cmd->add_option("--attach-emulator", cli.attach_emulator,
                      "pcsc: use this running emulator (host:port) instead of starting one");
  run_cmd->add_option("--reader-prefix", cli.reader_prefix,
                      "pcsc with --attach-emulator: worker i uses reader i of those named so");
  run_cmd->add_option("--vpcd-port-base", cli.vpcd_port_base, "pcsc: first vpcd port")
      ->check(CLI::Range(1024, 65000));
  run_cmd->add_option("--emulator", cli.emulator,
                      "zairyu-emulator binary (pcsc cards; the online system of each worker)");
  run_cmd->add_option("--pcscd-script", cli.pcscd_script, "pcsc: tools/pcscd-vpcd");
  run_cmd->add_option("--pcsc-run-dir", cli.pcsc_run_dir,
                      "pcsc: keep pcscd's and the emulator's files and logs here "
                      "(default: a temporary directory)");
  run_cmd->add_option("--seed", cli.seed, "suite seed (default: the manifest's)");
  run_cmd->add_option("--features", cli.features, "features the client under test declares")
      ->delimiter(',');
  run_cmd->add_option("--personas", cli.personas, "persona directory");
  run_cmd->add_option("--pki", cli.pki, "generated test-PKI directory");
  run_cmd->add_flag("--certify", cli.certify,
                    "write a certification report (JSON/HTML with SHA-256)");
  run_cmd->add_option("--vendor", cli.vendor, "vendor named in a certification report");
  run_cmd->add_option("--product", cli.product, "product named in a certification report");

  add_client_under_test_options(*run_cmd, cli.client_under_test);

  CLI::App* list_cmd = app.add_subcommand("list", "list the runs a run would execute");
  add_selection(list_cmd, cli);

  std::string report_file;
  CLI::App* verify_cmd =
      app.add_subcommand("verify-report", "verify a certification report's SHA-256");
  verify_cmd->add_option("FILE", report_file, "JSON or HTML certification report")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help exits 0; every usage error exits 2 (not CLI11's own codes).
    return app.exit(e) == 0 ? 0 : 2;
  }
  try {
    if (*run_cmd) return run(cli);
    if (*list_cmd) return list(cli);
    const Verification v = verify_report(read_text_file(report_file));
    std::printf("%s: %s\n", v.ok ? "OK" : "INVALID", v.message.c_str());
    return v.ok ? 0 : 1;
  } catch (const CLI::Error& e) {
    return app.exit(e) == 0 ? 0 : 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "zairyu-conformance: %s\n", e.what());
    return 2;
  }
}
