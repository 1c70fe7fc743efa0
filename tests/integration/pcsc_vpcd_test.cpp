// The vpcd bridge against the real pcscd + vsmartcard vpcd, with do-nothing
// cards: PC/SC sees readers and cards, APDUs pass, insertion and removal are
// seen by SCardGetStatusChange, and the bridge survives a pcscd restart. Normal
// mode runs pcscd in a private network namespace where the machine allows it
// (tools/pcscd-vpcd's default); pcsc_netns_test checks the isolation itself.
#define BOOST_TEST_MODULE pcsc_vpcd
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <vector>

#include "emulator/slots/null_slot_device.h"
#include "emulator/slots/tests/test_printing.h"
#include "emulator/vpcd/vpcd_bridge.h"
#include "tests/integration/pcscd_fixture.h"

namespace zairyu::testing {
namespace {

using namespace std::chrono_literals;
using vpcd::VpcdBridge;
using vpcd::VpcdBridgeOptions;

constexpr int kSlots = 2;
constexpr std::uint16_t kPortBase = 42310;
const Bytes kAtr{0x3B, 0xE0, 0x00, 0xFF, 0x81, 0x31, 0xFE, 0x45, 0x14};
const Bytes kGetChallenge{0x00, 0x84, 0x00, 0x00, 0x08};
const Bytes kOk{0x90, 0x00};

// Do-nothing cards in `slots` slots, each behind a bridge in `mode`, joining
// the network namespace `netns` (empty = ours).
struct Rig {
  explicit Rig(VpcdBridgeOptions::Mode mode, int slots = kSlots, const std::string& netns = "") {
    for (int i = 0; i < slots; ++i) {
      devices.push_back(std::make_shared<slots::NullSlotDevice>());
      VpcdBridgeOptions o;
      o.mode = mode;
      o.port = static_cast<std::uint16_t>(kPortBase + i);
      o.network_namespace = netns;
      bridges.push_back(std::make_unique<VpcdBridge>(devices.back(), o));
      bridges.back()->start();
    }
  }
  std::vector<std::shared_ptr<slots::NullSlotDevice>> devices;
  std::vector<std::unique_ptr<VpcdBridge>> bridges;
};

// Sockets on local TCP `port` in a /proc/.../net/tcp{,6} table, as
// "LOCALADDR STATE" (hex, as the kernel prints them; state 0A = LISTEN).
std::vector<std::string> tcp_sockets(const std::string& table, std::uint16_t port) {
  std::ifstream in(table);
  std::string line;
  std::getline(in, line);  // header
  std::vector<std::string> out;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string slot, local, remote, state;
    fields >> slot >> local >> remote >> state;
    const auto colon = local.rfind(':');
    if (colon != std::string::npos && std::stoul(local.substr(colon + 1), nullptr, 16) == port) {
      out.push_back(local.substr(0, colon) + " " + state);
    }
  }
  return out;
}

// errno of a TCP connect to 127.0.0.1:port from this thread's namespace (0 = connected).
int connect_errno(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const int result =
      ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0 ? 0 : errno;
  ::close(fd);
  return result;
}

// Nothing of vpcd's is visible from our (the host's) namespace on `port`.
void check_hidden_from_host(std::uint16_t port) {
  BOOST_TEST(tcp_sockets("/proc/thread-self/net/tcp", port).empty());
  BOOST_TEST(tcp_sockets("/proc/thread-self/net/tcp6", port).empty());
  BOOST_TEST(connect_errno(port) == ECONNREFUSED);
}

std::string pcscd_pid(const PcscdRun& pcscd) {
  std::ifstream in(pcscd.dir() + "/pcscd.pid");
  std::string pid;
  in >> pid;
  return pid;
}

std::string pcscd_netns_of(const PcscdRun& pcscd) {
  return std::filesystem::read_symlink("/proc/" + pcscd_pid(pcscd) + "/ns/net").string();
}

// tools/pcscd-vpcd --isolate-network: vpcd's 0.0.0.0 listeners exist only in
// pcscd's private namespace; the host sees nothing on those ports, while PC/SC
// (a filesystem socket) and the bridges (setns into RUNDIR/netns) work as usual.
BOOST_AUTO_TEST_CASE(isolated_network_hides_vpcd_from_the_host) {
  constexpr std::uint16_t kBase = 42330;
  PcscdRun pcscd("pcsc_vpcd_netns", kSlots, kBase, "normal", PcscdRun::Network::kIsolated);
  // Slot 1's bridge exists before pcscd: it waits for the namespace file.
  auto early = std::make_shared<slots::NullSlotDevice>();
  VpcdBridgeOptions o;
  o.port = static_cast<std::uint16_t>(kBase + 1);
  o.network_namespace = pcscd.netns_path();
  VpcdBridge early_bridge(early, o);
  early_bridge.start();

  pcscd.start();
  BOOST_TEST_REQUIRE(pcscd.netns() == pcscd.netns_path());
  auto late = std::make_shared<slots::NullSlotDevice>();
  o.port = kBase;
  o.network_namespace = pcscd.netns();
  VpcdBridge late_bridge(late, o);
  late_bridge.start();

  const std::string ns_before = pcscd_netns_of(pcscd);
  BOOST_TEST(ns_before != std::filesystem::read_symlink("/proc/thread-self/ns/net").string());
  // In pcscd's namespace vpcd listens on the wildcard address...
  for (std::uint16_t port : {kBase, static_cast<std::uint16_t>(kBase + 1)}) {
    const auto inside = tcp_sockets("/proc/" + pcscd_pid(pcscd) + "/net/tcp", port);
    BOOST_TEST((std::find(inside.begin(), inside.end(), "00000000 0A") != inside.end()));
    check_hidden_from_host(port);  // ...which the host cannot see or reach
  }

  PcscClient client;
  for (int i = 0; i < kSlots; ++i) {
    BOOST_TEST_REQUIRE(client.wait_card(PcscdRun::reader_name(i), true, 5s));
  }
  client.connect(PcscdRun::reader_name(0));
  BOOST_TEST(client.atr() == kAtr);
  for (int i = 0; i < 20; ++i) BOOST_TEST_REQUIRE(client.transmit(kGetChallenge) == kOk);
  client.connect(PcscdRun::reader_name(1));
  BOOST_TEST(client.transmit(kGetChallenge) == kOk);
  BOOST_TEST(late->exchanges() == 20u);
  BOOST_TEST(early->exchanges() == 1u);

  // Removal and insertion as in the shared namespace.
  early->remove();
  BOOST_TEST(client.wait_card(PcscdRun::reader_name(1), false, 5s));
  early->insert();
  BOOST_TEST(client.wait_card(PcscdRun::reader_name(1), true, 5s));
  client.connect(PcscdRun::reader_name(1));
  BOOST_TEST(client.transmit(kGetChallenge) == kOk);
  check_hidden_from_host(kBase);

  // Restart: a new namespace at the same path; both bridges follow it.
  pcscd.stop();
  pcscd.start();
  BOOST_TEST(pcscd_netns_of(pcscd) != ns_before);
  PcscClient again;
  for (int i = 0; i < kSlots; ++i) {
    BOOST_TEST_REQUIRE(again.wait_card(PcscdRun::reader_name(i), true, 5s));
    again.connect(PcscdRun::reader_name(i));
    BOOST_TEST(again.transmit(kGetChallenge) == kOk);
  }
  BOOST_TEST(early_bridge.links() >= 3u);
  check_hidden_from_host(kBase);
  check_hidden_from_host(static_cast<std::uint16_t>(kBase + 1));
}

BOOST_AUTO_TEST_CASE(normal_mode_transmit_remove_insert_restart) {
  PcscdRun pcscd("pcsc_vpcd_test", kSlots, kPortBase, "normal", PcscdRun::Network::kAuto);
  pcscd.start();
  Rig rig(VpcdBridgeOptions::Mode::kConnect, kSlots, pcscd.netns());
  {
    PcscClient client;
    const auto readers = client.readers();
    BOOST_TEST_REQUIRE(readers.size() == 2u);
    BOOST_TEST(readers[0] == PcscdRun::reader_name(0));
    BOOST_TEST(readers[1] == PcscdRun::reader_name(1));
    for (int i = 0; i < kSlots; ++i) {
      BOOST_TEST_REQUIRE(client.wait_card(PcscdRun::reader_name(i), true, 5s));
    }
    client.connect(PcscdRun::reader_name(0));
    BOOST_TEST(client.atr() == kAtr);
    for (int i = 0; i < 100; ++i) BOOST_TEST_REQUIRE(client.transmit(kGetChallenge) == kOk);
    BOOST_TEST(rig.devices[0]->exchanges() == 100u);
    BOOST_TEST(rig.devices[1]->exchanges() == 0u);

    // Removal: the bridge drops its link and pcscd reports an empty reader.
    rig.devices[1]->remove();
    BOOST_TEST(client.wait_card(PcscdRun::reader_name(1), false, 5s));
    BOOST_TEST(!rig.bridges[1]->connected());
    // Insertion: the bridge connects again and pcscd sees a card.
    rig.devices[1]->insert();
    BOOST_TEST(client.wait_card(PcscdRun::reader_name(1), true, 5s));
    client.connect(PcscdRun::reader_name(1));
    BOOST_TEST(client.transmit(kGetChallenge) == kOk);
  }

  // pcscd restart: the bridges see the link close and connect to the new vpcd
  // (isolated: in the new namespace mounted at the same path).
  const auto links_before = rig.bridges[0]->links();
  pcscd.stop();
  pcscd.start();
  {
    PcscClient client;
    BOOST_TEST_REQUIRE(client.wait_card(PcscdRun::reader_name(0), true, 5s));
    client.connect(PcscdRun::reader_name(0));
    BOOST_TEST(client.transmit(kGetChallenge) == kOk);
    BOOST_TEST(rig.bridges[0]->links() > links_before);
  }
}

// Four slots need two vpcd entries; each must reach its own card (vpcd keeps
// slot state in globals, so pcscd-vpcd loads one driver copy per entry).
BOOST_AUTO_TEST_CASE(each_of_four_slots_reaches_its_own_card) {
  constexpr int kFour = 4;
  PcscdRun pcscd("pcsc_vpcd_test", kFour, kPortBase, "normal", PcscdRun::Network::kAuto);
  pcscd.start();
  Rig rig(VpcdBridgeOptions::Mode::kConnect, kFour, pcscd.netns());
  PcscClient client;
  for (int i = 0; i < kFour; ++i) {
    BOOST_TEST_REQUIRE(client.wait_card(PcscdRun::reader_name(i), true, 5s));
    client.connect(PcscdRun::reader_name(i));
    for (int n = 0; n <= i; ++n) BOOST_TEST_REQUIRE(client.transmit(kGetChallenge) == kOk);
  }
  for (int i = 0; i < kFour; ++i) {
    BOOST_TEST(rig.devices[static_cast<std::size_t>(i)]->exchanges() ==
               static_cast<std::uint64_t>(i + 1));
  }
}

// Reversed mode: vpcd connects to bridges listening on 127.0.0.1. Debian's
// vpcd 3.3 aborts pcscd if a reversed-mode link is missing or drops, so the
// bridges listen before pcscd starts and no card is removed here. Reversed mode
// always shares our network namespace (nothing listens beyond loopback).
BOOST_AUTO_TEST_CASE(reversed_mode_transmit_and_restart) {
  Rig rig(VpcdBridgeOptions::Mode::kListen);
  PcscdRun pcscd("pcsc_vpcd_test", kSlots, kPortBase, "reversed");
  pcscd.start();
  {
    PcscClient client;
    BOOST_TEST_REQUIRE(client.wait_card(PcscdRun::reader_name(1), true, 5s));
    client.connect(PcscdRun::reader_name(1));
    BOOST_TEST(client.atr() == kAtr);
    BOOST_TEST(client.transmit(kGetChallenge) == kOk);
    BOOST_TEST(rig.devices[1]->exchanges() == 1u);
  }
  pcscd.stop();
  pcscd.start();  // the new vpcd connects to the same listening bridges
  {
    PcscClient client;
    BOOST_TEST_REQUIRE(client.wait_card(PcscdRun::reader_name(0), true, 5s));
    client.connect(PcscdRun::reader_name(0));
    BOOST_TEST(client.transmit(kGetChallenge) == kOk);
    BOOST_TEST(rig.bridges[0]->links() >= 2u);
  }
}

}  // namespace
}  // namespace zairyu::testing
