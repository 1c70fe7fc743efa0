// zairyu-emulator: hosts the emulated online system, the virtual card slots
// (optionally served to pcscd through vpcd) and the gRPC control planes. Prints
//   zairyu-emulator: listening on <host>:<port>
// on stdout once it serves, and exits 0 on SIGTERM or SIGINT.
#include <google/protobuf/util/time_util.h>
#include <CLI/CLI.hpp>
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "emulator/server/default_state_path.h"
#include "emulator/server/emulator_server.h"
#include "emulator/server/environment.h"
#include "emulator/server/json_log.h"

namespace {

using zairyu::server::log_json;

// "SLOT=PERSONA" -> (slot, persona); throws CLI::ValidationError.
std::pair<int, std::string> parse_insert(const std::string& text) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size()) {
    throw CLI::ValidationError("--insert", "expected SLOT=PERSONA, got '" + text + "'");
  }
  try {
    std::size_t used = 0;
    const int slot = std::stoi(text.substr(0, eq), &used);
    if (used != eq) throw std::invalid_argument(text);
    return {slot, text.substr(eq + 1)};
  } catch (const std::logic_error&) {
    throw CLI::ValidationError("--insert", "slot of '" + text + "' is not a number");
  }
}

// Writes the port atomically (temp file + rename): a reader never sees half.
void write_port_file(const std::filesystem::path& path, int port) {
  const auto tmp = std::filesystem::path(path.string() + ".tmp");
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << port << "\n";
    if (!out.flush()) throw std::runtime_error("cannot write " + tmp.string());
  }
  std::filesystem::rename(tmp, path);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"zairyu-emulator: virtual My Number Card slots and their gRPC control plane"};
  zairyu::server::ServerOptions server_options;
  zairyu::server::EnvironmentOptions env_options;
  std::string port_file;
  std::string card_state_dir;
  std::string vpcd_mode = "connect";
  std::string control_token;
  std::vector<std::string> inserts;
  app.add_option("--listen", server_options.listen,
                 "gRPC address, loopback only (port 0 = any free port)")
      ->capture_default_str();
  app.add_option("--port-file", port_file, "also write the bound port to this file");
  app.add_option("--personas", env_options.personas_dir, "persona directory (<id>.yaml)")
      ->required();
  app.add_option("--pki", env_options.pki_dir, "test PKI directory (from zairyu-pki)")->required();
  app.add_option("--card-state", card_state_dir,
                 "one state file per persona card; a locked card stays locked across "
                 "restarts (unset: every card starts fresh)");
  app.add_option("--slots", env_options.slot_count,
                 "number of card slots (default: "
                 "--vpcd-slots, at least 1)");
  app.add_option("--vpcd-slots", env_options.vpcd_slots,
                 "serve slots 0..N-1 through vpcd (0 = no vpcd)")
      ->capture_default_str();
  app.add_option("--vpcd-port-base", env_options.vpcd_port_base,
                 "slot i uses 127.0.0.1:BASE+i (listen mode: 0 = free ports)")
      ->capture_default_str();
  app.add_option("--vpcd-mode", vpcd_mode,
                 "connect: vpcd listens, we connect; listen: vpcd reversed mode")
      ->check(CLI::IsMember({"connect", "listen"}))
      ->capture_default_str();
  app.add_option("--vpcd-netns", env_options.vpcd_netns,
                 "network namespace of an isolated pcscd (`tools/pcscd-vpcd netns --dir D`)");
  app.add_option("--insert", inserts, "insert a persona's card at start-up: SLOT=PERSONA");
  app.add_option("--control-token", control_token,
                 "require 'authorization: Bearer T' on control calls")
      ->envname("ZAIRYU_CONTROL_TOKEN");
  app.add_option("--seed", env_options.random_seed, "seed of the cards' GET CHALLENGE")
      ->capture_default_str();
  app.add_option("--state", env_options.online_state,
                 "online system state: a SQLite file, or :memory: (default: "
                 "$XDG_STATE_HOME/zairyu-lab/emulator.sqlite, else "
                 "~/.local/state/zairyu-lab/emulator.sqlite)");
  std::string geo_table_file;
  app.add_option("--geo-table", geo_table_file,
                 "geo table file, 'CIDR CC' a line (fixtures/geo/geo.txt; default: only "
                 "loopback, as JP)")
      ->check(CLI::ExistingFile);
  std::vector<std::string> trusted_proxies;
  app.add_option("--trusted-proxy", trusted_proxies,
                 "CIDR whose X-Forwarded-For is honoured (repeatable)");
  std::string start_time;
  app.add_option("--start-time", start_time,
                 "virtual clock start, RFC 3339 (default 2026-01-01T09:00:00+09:00)");
  app.add_flag("--refuse-late-notifications", env_options.refuse_late_notifications,
               "refuse a 届出 filed after its deadline (default: accept it, marked late)");
  app.add_option("--tls-cert", server_options.tls_cert_file, "PEM certificate chain: serve TLS")
      ->check(CLI::ExistingFile);
  app.add_option("--tls-key", server_options.tls_key_file, "PEM private key of --tls-cert")
      ->check(CLI::ExistingFile);
  CLI11_PARSE(app, argc, argv);

  if (server_options.tls_cert_file.empty() != server_options.tls_key_file.empty()) {
    std::cerr << "--tls-cert and --tls-key go together\n";
    return 2;
  }
  if (!geo_table_file.empty()) {
    std::ifstream in(geo_table_file);
    env_options.geo_table.assign(std::istreambuf_iterator<char>(in),
                                 std::istreambuf_iterator<char>());
  }
  for (const auto& text : trusted_proxies) {
    const auto cidr = zairyu::online::ParseCidr(text);
    if (!cidr) {
      std::cerr << "--trusted-proxy: not a CIDR: " << text << "\n";
      return 2;
    }
    env_options.trusted_proxies.push_back(*cidr);
  }
  if (!start_time.empty()) {
    google::protobuf::Timestamp t;
    if (!google::protobuf::util::TimeUtil::FromString(start_time, &t)) {
      std::cerr << "--start-time: not RFC 3339: " << start_time << "\n";
      return 2;
    }
    env_options.start_time = zairyu::online::Instant(
        std::chrono::seconds(google::protobuf::util::TimeUtil::TimestampToSeconds(t)));
  }

  if (!app.count("--slots")) env_options.slot_count = std::max(1, env_options.vpcd_slots);
  if (!card_state_dir.empty()) env_options.card_state_dir = card_state_dir;
  if (vpcd_mode == "listen") env_options.vpcd_mode = zairyu::vpcd::VpcdBridgeOptions::Mode::kListen;
  if (!control_token.empty()) server_options.control_token = control_token;

  // Handle SIGTERM/SIGINT by sigwait() in this thread: block them before any
  // other thread exists, so every thread gRPC or vpcd starts inherits the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  try {
    if (!app.count("--state")) {
      env_options.online_state = zairyu::server::PrepareDefaultStatePath().string();
    }
    log_json("info", "online_state", {{"state", env_options.online_state}});
    zairyu::server::Environment environment(env_options);
    for (const auto& text : inserts) {
      const auto [slot, persona] = parse_insert(text);
      zairyu::server::InsertCardArgs args;
      args.slot = slot;
      args.persona_id = persona;
      environment.insert_card(args);
      log_json("info", "card_inserted", {{"slot", slot}, {"persona_id", persona}});
    }
    auto server = zairyu::server::EmulatorServer::start(environment, server_options);
    const auto colon = server_options.listen.rfind(':');
    const std::string bound =
        server_options.listen.starts_with("unix:")
            ? server_options.listen
            : server_options.listen.substr(0, colon + 1) + std::to_string(server->port());
    if (!port_file.empty()) write_port_file(port_file, server->port());
    log_json("info", "listening", {{"address", bound}, {"slots", environment.slot_count()}});
    std::cout << "zairyu-emulator: listening on " << bound << std::endl;

    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    log_json("info", "stopping", {{"signal", signal_number}});
    server->shutdown();
  } catch (const CLI::Error& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    log_json("error", "fatal", {{"message", e.what()}});
    return 1;
  }
  log_json("info", "stopped");
  return 0;
}
