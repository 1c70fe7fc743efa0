// online_flow: the time of a full "log in and file one application" as the
// client engine does it, broken down into
//   card      the exchanges with the card (CardTransport::transmit: PIN
//             status and verification, certificate reads, the two RSA
//             signatures), through the transport and back
//   rpc       OnlineClient's RpcTiming: the gRPC calls (connecting on the
//             first one, serialization, server work) as the stubs return them
//   overhead  everything else: making the client, form reading and checks,
//             APDU building and parsing, digests and DigestInfo, protobuf,
//             and gRPC's per-call set-up and clean-up around the stub calls
// Two card transports side by side, one emulator server in process:
//   pcsc       PcscTransport through the real pcscd + vpcd (tools/pcscd-vpcd)
//              to the persona card in slot 0 of the emulator's Environment
//   in-process InProcessTransport over the same persona's card in a second
//              Environment (a persona's card can be in one slot only; the
//              copy has the same keys and certificates)
// Each flow is what one program run does: a new OnlineClient (new gRPC
// channel and connection) and new JpkiSigners (each PIN verified once), the
// form read from FILE (default client/examples/forms/extension-with-pdf.yaml)
// with its attachment. The flow ends when the result is in hand; tearing it
// all down (mostly closing the channel and its connection) comes after and is
// shown on its own. Not counted: what a process does once (gRPC and OpenSSL
// start-up, loading libraries), paid by a warm-up flow per transport.
//
//   online_flow [--flows N] [--port-base P] [--form FILE]   (defaults 20, 42910)
//
// Needs ZAIRYU_PERSONAS_DIR and ZAIRYU_PKI_DIR (as the tests) and pcscd.
// Run it under `flock /tmp/zairyu-pcscd.lock`.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "emulator/online/jst.h"
#include "emulator/server/emulator_server.h"
#include "emulator/server/environment.h"
#include "inprocess_transport.h"
#include "tests/integration/pcscd_fixture.h"
#include "zairyu/client/jpki_signer.h"
#include "zairyu/client/online_client.h"
#include "zairyu/client/pcsc_transport.h"

namespace zairyu::bench {
namespace {

using Clock = std::chrono::steady_clock;
using Nanos = std::chrono::nanoseconds;
using client::JpkiKey;
using client::SecretString;

constexpr const char* kPersona = "adult-valid";
constexpr const char* kPassword = "bench password 1";

// Adds the time of every exchange with the card (transmit, reset) to `total`.
class TimedTransport : public client::CardTransport {
 public:
  TimedTransport(client::CardTransport& inner, Nanos& total) : inner_(inner), total_(total) {}
  client::Bytes transmit(client::ByteView command) override {
    const auto start = Clock::now();
    client::Bytes response = inner_.transmit(command);
    total_ += Clock::now() - start;
    return response;
  }
  void reset() override {
    const auto start = Clock::now();
    inner_.reset();
    total_ += Clock::now() - start;
  }
  client::Bytes atr() const override { return inner_.atr(); }
  std::uint64_t session() const override { return inner_.session(); }

 private:
  client::CardTransport& inner_;
  Nanos& total_;
};

struct FlowTime {
  Nanos total{0}, card{0}, rpc{0};
  Nanos form{0}, setup{0};  // parts of the overhead: reading the form, making the client
  Nanos teardown{0};        // after the flow: destroying the client and the card objects
  Nanos overhead() const { return total - card - rpc; }
};

// One "log in and file one application" over `card`.
FlowTime run_flow(client::CardTransport& card, const client::ServerOptions& server,
                  const std::string& user_id, const std::string& form_file) {
  FlowTime t;
  TimedTransport transport(card, t.card);
  const auto start = Clock::now();
  Clock::time_point done;
  {
    client::CardChannel channel(transport);
    client::JpkiCard jpki(channel);
    client::JpkiSigner auth(jpki, JpkiKey::kAuth, SecretString("1234"));
    client::JpkiSigner sign(jpki, JpkiKey::kSign, SecretString("ABC123"));
    const auto before_client = Clock::now();
    client::OnlineClient online(server);
    t.setup = Clock::now() - before_client;
    online.login({user_id, SecretString(kPassword), {}}, &auth);
    const auto before_form = Clock::now();
    const client::ApplicationForm application = client::load_form_file(form_file);
    t.form = Clock::now() - before_form;
    const auto result = online.submit(application, sign);
    done = Clock::now();
    t.total = done - start;
    t.rpc = online.rpc_timing().total;
    if (result.provisional_number.empty()) throw std::runtime_error("no provisional number");
  }
  t.teardown = Clock::now() - done;
  return t;
}

double ms(Nanos n) { return std::chrono::duration<double, std::milli>(n).count(); }

Nanos median(std::vector<Nanos> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Median of each part over the flows (the parts' medians need not add up).
void report(const char* name, const std::vector<FlowTime>& flows) {
  std::vector<Nanos> total, card, rpc, overhead, form, setup, teardown;
  double share_sum = 0;
  for (const auto& f : flows) {
    total.push_back(f.total);
    card.push_back(f.card);
    rpc.push_back(f.rpc);
    overhead.push_back(f.overhead());
    form.push_back(f.form);
    setup.push_back(f.setup);
    teardown.push_back(f.teardown);
    share_sum += ms(f.overhead()) / ms(f.total);
  }
  std::printf("%-11s %9.2f %9.2f %9.2f %9.2f %10.2f%% %9.3f %9.3f %9.3f\n", name, ms(median(total)),
              ms(median(card)), ms(median(rpc)), ms(median(overhead)),
              100.0 * share_sum / flows.size(), ms(median(form)), ms(median(setup)),
              ms(median(teardown)));
}

int run(int flows, std::uint16_t port_base, const std::string& form) {
  const char* personas = std::getenv("ZAIRYU_PERSONAS_DIR");
  const char* pki = std::getenv("ZAIRYU_PKI_DIR");
  if (!personas || !pki) {
    std::fprintf(stderr, "online_flow: set ZAIRYU_PERSONAS_DIR and ZAIRYU_PKI_DIR\n");
    return 2;
  }
  testing::PcscdRun pcscd("online_flow", 1, port_base, "normal", testing::PcscdRun::Network::kAuto);
  pcscd.start();

  server::EnvironmentOptions options;
  options.personas_dir = personas;
  options.pki_dir = pki;
  server::Environment card_source(options);  // before the vpcd settings
  server::InsertCardArgs card;
  card.persona_id = kPersona;
  card_source.insert_card(card);
  options.vpcd_slots = 1;
  options.vpcd_port_base = port_base;
  options.vpcd_netns = pcscd.netns();
  using namespace std::chrono;
  options.start_time = online::JstTime(year_month_day{year{2027}, April, day{15}}, 9);
  server::Environment environment(options);
  environment.insert_card(card);
  server::ServerOptions listen;
  listen.listen = "127.0.0.1:0";
  const auto emulator = server::EmulatorServer::start(environment, listen);
  client::ServerOptions server;
  server.address = "127.0.0.1:" + std::to_string(emulator->port());

  client::PcscOptions pcsc_options;
  pcsc_options.reader = testing::PcscdRun::reader_name(0);
  pcsc_options.card_wait = seconds(10);
  client::PcscTransport pcsc(pcsc_options);
  inprocess::InProcessTransport direct(card_source.slot(0).card());

  // Both cards are the same persona, so they share one account.
  std::string user_id;
  {
    client::CardChannel channel(direct);
    client::JpkiCard jpki(channel);
    client::JpkiSigner auth(jpki, JpkiKey::kAuth, SecretString("1234"));
    client::Registration r;
    r.email = "nguyen.van.an@example.com";
    r.password = SecretString(kPassword);
    r.residence_card_number = "AB12345678CD";
    user_id = client::OnlineClient(server).register_user(r, &auth);
  }

  run_flow(pcsc, server, user_id, form);  // warm-up: connections, caches
  run_flow(direct, server, user_id, form);
  std::vector<FlowTime> through_pcsc, in_process;
  for (int i = 0; i < flows; ++i) {  // interleaved, so drift hits both alike
    through_pcsc.push_back(run_flow(pcsc, server, user_id, form));
    in_process.push_back(run_flow(direct, server, user_id, form));
  }
  std::printf(
      "log in + file one application (%s), %d flows each (median ms; overhead share = "
      "mean of overhead/total)\n",
      form.c_str(), flows);
  std::printf("%-11s %9s %9s %9s %9s %11s %9s %9s %9s\n", "transport", "total", "card", "rpc",
              "overhead", "overhead %", "(form", "client)", "teardown");
  report("pcsc", through_pcsc);
  report("in-process", in_process);
  return 0;
}

}  // namespace
}  // namespace zairyu::bench

int main(int argc, char** argv) {
  int flows = 20;
  std::uint16_t port_base = 42910;
  std::string form = std::string(ZAIRYU_FORMS_DIR) + "/extension-with-pdf.yaml";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--flows" && i + 1 < argc) {
      flows = std::atoi(argv[++i]);
    } else if (arg == "--port-base" && i + 1 < argc) {
      port_base = static_cast<std::uint16_t>(std::atoi(argv[++i]));
    } else if (arg == "--form" && i + 1 < argc) {
      form = argv[++i];
    } else {
      std::fprintf(stderr, "usage: online_flow [--flows N] [--port-base P] [--form FILE]\n");
      return 1;
    }
  }
  if (flows < 1 || flows > 10000) {
    std::fprintf(stderr, "online_flow: --flows must be 1-10000\n");
    return 1;
  }
  try {
    return zairyu::bench::run(flows, port_base, form);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "online_flow: %s\n", e.what());
    return 2;
  }
}
