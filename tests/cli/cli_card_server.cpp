// Test-only card server for the CLI tests: the virtual card of
// emulator/slots/tests/test_card.h (PINs 1234 / ABC123 / 5678) in one slot,
// served to pcscd's vpcd through a VpcdBridge until SIGTERM or SIGINT.
//
//   cli_card_server --port P [--netns PATH]
//
// Prints "card server ready" once the card is in the slot and the bridge runs
// (it connects to vpcd by itself, retrying until pcscd listens).
#include <CLI/CLI.hpp>
#include <csignal>
#include <iostream>
#include <memory>

#include "emulator/slots/card_slot.h"
#include "emulator/slots/tests/test_card.h"
#include "emulator/vpcd/vpcd_bridge.h"

int main(int argc, char** argv) {
  CLI::App app("Serves the test card to vpcd", "cli_card_server");
  zairyu::vpcd::VpcdBridgeOptions options;
  app.add_option("--port", options.port, "vpcd port of the slot")->required();
  app.add_option("--netns", options.network_namespace,
                 "network namespace file of pcscd (tools/pcscd-vpcd netns)");
  CLI11_PARSE(app, argc, argv);

  // Block the stop signals before the bridge thread exists, then sigwait.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  auto slot = std::make_shared<zairyu::slots::CardSlot>(0);
  slot->insert(zairyu::slots::testing::make_test_card(), "cli-test");
  zairyu::vpcd::VpcdBridge bridge(slot, options);
  bridge.start();
  std::cout << "card server ready" << std::endl;
  int signal_number = 0;
  sigwait(&stop, &signal_number);
  bridge.stop();
  return 0;
}
