// The vpcd bridge against the real pcscd + vsmartcard vpcd, with do-nothing
// cards: PC/SC sees readers and cards, APDUs pass, insertion and removal are
// seen by SCardGetStatusChange, and the bridge survives a pcscd restart.
#define BOOST_TEST_MODULE pcsc_vpcd
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <memory>
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

// Do-nothing cards in `slots` slots, each behind a bridge in `mode`.
struct Rig {
  explicit Rig(VpcdBridgeOptions::Mode mode, int slots = kSlots) {
    for (int i = 0; i < slots; ++i) {
      devices.push_back(std::make_shared<slots::NullSlotDevice>());
      VpcdBridgeOptions o;
      o.mode = mode;
      o.port = static_cast<std::uint16_t>(kPortBase + i);
      bridges.push_back(std::make_unique<VpcdBridge>(devices.back(), o));
      bridges.back()->start();
    }
  }
  std::vector<std::shared_ptr<slots::NullSlotDevice>> devices;
  std::vector<std::unique_ptr<VpcdBridge>> bridges;
};

BOOST_AUTO_TEST_CASE(normal_mode_transmit_remove_insert_restart) {
  Rig rig(VpcdBridgeOptions::Mode::kConnect);
  PcscdRun pcscd("pcsc_vpcd_test", kSlots, kPortBase, "normal");
  pcscd.start();
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

  // pcscd restart: the bridges see the link close and connect to the new vpcd.
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
  Rig rig(VpcdBridgeOptions::Mode::kConnect, kFour);
  PcscdRun pcscd("pcsc_vpcd_test", kFour, kPortBase, "normal");
  pcscd.start();
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
// bridges listen before pcscd starts and no card is removed here.
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
