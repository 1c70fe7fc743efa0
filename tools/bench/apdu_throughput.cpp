// apdu_throughput: APDU round trips per second through the real pcscd + vpcd,
// for several cards side by side in one run:
//   zairyu card   the JPKI card model in a CardSlot behind a tuned bridge
//   vicc          vsmartcard's Python card (stock, iso7816), if installed
//   null tuned    the do-nothing card, bridge with TCP_NODELAY + TCP_QUICKACK
//   null plain    the do-nothing card, bridge with plain sockets
// Two APDU mixes: "read" (SELECT AP, SELECT EF, READ BINARY 256) and "pin+sign"
// (SELECT PIN EF, VERIFY, SELECT key EF, COMPUTE DIGITAL SIGNATURE). vicc only
// runs "read": it answers errors there (no JPKI files) but still makes the
// round trip, and it crashes on 80 2A.
//
// Each card gets a reader of its own (slot 0 of its own vpcd entry; slot 1
// stays empty): pcscd serializes the driver calls of a reader's two slots, and
// a neighbour on plain sockets (44 ms per presence poll) slows the other slot.
//
// pcscd runs in vpcd's normal mode (tools/pcscd-vpcd --mode normal): vpcd
// listens on 0.0.0.0 at the bench ports while it runs, because vicc and our
// bridge both connect to it. Run it on a machine without untrusted neighbours.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "emulator/slots/card_slot.h"
#include "emulator/slots/null_slot_device.h"
#include "emulator/slots/tests/test_card.h"
#include "emulator/vpcd/vpcd_bridge.h"
#include "tests/integration/pcscd_fixture.h"

extern char** environ;

namespace zairyu::bench {
namespace {

using namespace std::chrono_literals;
using card::Bytes;
using testing::PcscClient;
using testing::PcscdRun;

struct Options {
  std::uint16_t port_base = 42400;
  double seconds = 1.0;     // per card, mix and round
  long max_apdus = 50'000;  // per card, mix and round
  int rounds = 3;           // cards take turns each round; the median is shown
  bool vicc = true;
};

// vicc as a child process connecting to vpcd's port; killed by the destructor.
class Vicc {
 public:
  // `scratch`: a directory for the import shim, removed by the caller.
  Vicc(std::uint16_t port, const std::string& scratch) {
    const std::string port_text = std::to_string(port);
    std::vector<std::string> env;
    for (char** e = environ; *e; ++e) {
      if (std::strncmp(*e, "PYTHONPATH=", 11) != 0) env.emplace_back(*e);
    }
    // Debian installs vicc's module outside sys.path, and vicc imports
    // "Crypto" while Debian's python3-pycryptodome is named "Cryptodome":
    // a symlink named Crypto in a scratch directory bridges the two.
    const std::string shim = scratch + "/python-shim";
    std::filesystem::create_directories(shim);
    std::error_code ignored;
    std::filesystem::create_directory_symlink("/usr/lib/python3/dist-packages/Cryptodome",
                                              shim + "/Crypto", ignored);
    env.emplace_back("PYTHONPATH=/usr/lib/python3/site-packages/virtualsmartcard:" + shim);
    std::vector<char*> envp;
    for (auto& s : env) envp.push_back(s.data());
    envp.push_back(nullptr);
    std::vector<std::string> args{"vicc", "-t", "iso7816", "-H", "127.0.0.1", "-P", port_text};
    std::vector<char*> argv;
    for (auto& s : args) argv.push_back(s.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    if (posix_spawnp(&pid_, "vicc", &actions, nullptr, argv.data(), envp.data()) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
  }
  ~Vicc() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
  Vicc(const Vicc&) = delete;
  Vicc& operator=(const Vicc&) = delete;
  bool started() const { return pid_ > 0; }

 private:
  pid_t pid_ = -1;
};

Bytes apdu(std::initializer_list<std::uint8_t> head, const Bytes& data = {},
           std::optional<std::uint8_t> le = std::nullopt) {
  Bytes out(head);
  if (!data.empty()) {
    out.push_back(static_cast<std::uint8_t>(data.size()));
    out.insert(out.end(), data.begin(), data.end());
  }
  if (le) out.push_back(*le);
  return out;
}

const Bytes kJpkiAid{0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01};

std::vector<Bytes> read_mix() {
  return {apdu({0x00, 0xA4, 0x04, 0x0C}, kJpkiAid), apdu({0x00, 0xA4, 0x02, 0x0C}, {0x00, 0x0A}),
          apdu({0x00, 0xB0, 0x00, 0x00}, {}, 0x00)};
}

std::vector<Bytes> sign_mix() {
  Bytes digest_info{0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                    0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};
  digest_info.resize(digest_info.size() + 32, 0x5A);
  return {apdu({0x00, 0xA4, 0x02, 0x0C}, {0x00, 0x18}),
          apdu({0x00, 0x20, 0x00, 0x80}, {'1', '2', '3', '4'}),
          apdu({0x00, 0xA4, 0x02, 0x0C}, {0x00, 0x17}),
          apdu({0x80, 0x2A, 0x00, 0x80}, digest_info, 0x00)};
}

struct Result {
  long apdus = 0;
  double seconds = 0;
  std::string error;
  double rate() const { return seconds > 0 ? apdus / seconds : 0; }
};

// The cell of one card and mix over all rounds: median rate (the machine may
// be busy with other work; taking turns and the median keep the ratios fair).
struct Cell {
  std::vector<Result> rounds;
  long apdus() const {
    long n = 0;
    for (const auto& r : rounds) n += r.apdus;
    return n;
  }
  double median_rate() const {
    std::vector<double> rates;
    for (const auto& r : rounds) {
      if (r.apdus > 0) rates.push_back(r.rate());
    }
    if (rates.empty()) return 0;
    std::sort(rates.begin(), rates.end());
    return rates[rates.size() / 2];
  }
  std::string error() const {
    for (const auto& r : rounds) {
      if (!r.error.empty()) return r.error;
    }
    return {};
  }
};

Result run_mix(PcscClient& client, const std::vector<Bytes>& mix, const Options& options) {
  Result r;
  const auto start = std::chrono::steady_clock::now();
  const auto budget = std::chrono::duration<double>(options.seconds);
  try {
    while (r.apdus < options.max_apdus) {
      for (const Bytes& command : mix) {
        client.transmit(command);
        ++r.apdus;
      }
      if (std::chrono::steady_clock::now() - start >= budget) break;
    }
  } catch (const std::exception& e) {
    r.error = e.what();
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

int run(const Options& options) {
  // Slot layout: 0 zairyu card, 2 vicc, 4 null tuned, 6 null plain (odd slots empty).
  auto card_slot = std::make_shared<slots::CardSlot>(0);
  card_slot->insert(slots::testing::make_test_card(), "bench");
  auto null_tuned = std::make_shared<slots::NullSlotDevice>();
  auto null_plain = std::make_shared<slots::NullSlotDevice>();
  auto bridge = [&](std::shared_ptr<slots::SlotDevice> device, int slot, bool tuned) {
    vpcd::VpcdBridgeOptions o;
    o.port = static_cast<std::uint16_t>(options.port_base + slot);
    o.tune_socket = tuned;
    auto b = std::make_unique<vpcd::VpcdBridge>(std::move(device), o);
    b->start();
    return b;
  };
  auto b0 = bridge(card_slot, 0, true);
  auto b4 = bridge(null_tuned, 4, true);
  auto b6 = bridge(null_plain, 6, false);

  PcscdRun pcscd("apdu_throughput", 8, options.port_base, "normal");
  pcscd.start();
  std::unique_ptr<Vicc> vicc;
  if (options.vicc) {
    vicc = std::make_unique<Vicc>(static_cast<std::uint16_t>(options.port_base + 2), pcscd.dir());
  }

  struct Card {
    const char* name;
    int slot;
  };
  const std::vector<Card> cards{{"zairyu card (tuned)", 0},
                                {"vicc (stock)", 2},
                                {"null card (tuned)", 4},
                                {"null card (plain)", 6}};
  const std::vector<std::pair<const char*, std::vector<Bytes>>> mixes{{"read", read_mix()},
                                                                      {"pin+sign", sign_mix()}};

  std::printf(
      "APDU throughput through pcscd + vpcd (%d rounds of %.1f s or %ld APDUs per cell, median)\n",
      options.rounds, options.seconds, options.max_apdus);
  std::printf("%-22s %-9s %8s %9s %10s %9s\n", "card", "mix", "APDUs", "APDU/s", "ms/APDU",
              "vs null tuned");
  std::vector<std::vector<Cell>> results(cards.size(), std::vector<Cell>(mixes.size()));
  for (int round = 0; round < options.rounds; ++round) {
    for (std::size_t c = 0; c < cards.size(); ++c) {
      for (std::size_t m = 0; m < mixes.size(); ++m) {
        const auto& [mix_name, mix] = mixes[m];
        Result r;
        const bool is_vicc = cards[c].slot == 2;
        try {
          if (is_vicc && !options.vicc) throw std::runtime_error("skipped (--no-vicc)");
          if (is_vicc && std::string(mix_name) != "read") {
            throw std::runtime_error("not run: vicc crashes on 80 2A");
          }
          PcscClient client;
          const std::string reader = PcscdRun::reader_name(cards[c].slot);
          if (!client.wait_card(reader, true, is_vicc ? 10s : 5s)) {
            throw std::runtime_error("no card in reader");
          }
          client.connect(reader);
          r = run_mix(client, mix, options);
        } catch (const std::exception& e) {
          r.error = e.what();
        }
        results[c][m].rounds.push_back(r);
      }
    }
  }
  for (std::size_t c = 0; c < cards.size(); ++c) {
    for (std::size_t m = 0; m < mixes.size(); ++m) {
      const Cell& cell = results[c][m];
      const double rate = cell.median_rate();
      const double reference = results[2][m].median_rate();  // null card (tuned)
      const std::string error = cell.error();
      if (rate == 0) {
        std::printf("%-22s %-9s %8s %9s %10s %9s  (%s)\n", cards[c].name, mixes[m].first, "-", "-",
                    "-", "-", error.c_str());
        continue;
      }
      std::printf("%-22s %-9s %8ld %9.0f %10.3f %8.3fx%s%s\n", cards[c].name, mixes[m].first,
                  cell.apdus(), rate, 1000.0 / rate, reference > 0 ? rate / reference : 0.0,
                  error.empty() ? "" : "  stopped: ", error.c_str());
    }
  }
  std::printf("signatures/s (zairyu card, 4 APDUs per signature): %.0f\n",
              results[0][1].median_rate() / 4);
  // The targets, on the non-signing mix: our card at >= 0.9x the
  // do-nothing card and >= 500x vicc.
  const double ours = results[0][0].median_rate();
  const double vicc_rate = results[1][0].median_rate();
  const double null_rate = results[2][0].median_rate();
  std::printf("read mix: zairyu/null tuned %.3fx (target >= 0.9), ",
              null_rate > 0 ? ours / null_rate : 0.0);
  if (vicc_rate > 0) {
    std::printf("zairyu/vicc %.0fx (target >= 500)\n", ours / vicc_rate);
  } else {
    std::printf("zairyu/vicc not measured\n");
  }
  return 0;
}

}  // namespace
}  // namespace zairyu::bench

int main(int argc, char** argv) {
  zairyu::bench::Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", arg.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--port-base") {
      options.port_base = static_cast<std::uint16_t>(std::stoi(value()));
    } else if (arg == "--seconds") {
      options.seconds = std::stod(value());
    } else if (arg == "--max-apdus") {
      options.max_apdus = std::stol(value());
    } else if (arg == "--rounds") {
      options.rounds = std::max(1, std::stoi(value()));
    } else if (arg == "--no-vicc") {
      options.vicc = false;
    } else {
      std::fprintf(stderr,
                   "usage: apdu_throughput [--port-base P] [--seconds S] [--max-apdus N] "
                   "[--rounds R] [--no-vicc]\n");
      return 2;
    }
  }
  try {
    return zairyu::bench::run(options);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "apdu_throughput: %s\n", e.what());
    return 1;
  }
}
