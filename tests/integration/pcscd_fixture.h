// Shared helpers for tests that run the machine's pcscd through
// tools/pcscd-vpcd and talk PC/SC to it. Tests using them need the CTest
// RESOURCE_LOCK pcscd (one pcscd per machine).
#pragma once

#include <PCSC/winscard.h>
#include <PCSC/wintypes.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "emulator/card/bytes.h"

#ifndef ZAIRYU_PCSCD_VPCD_SCRIPT
#error "define ZAIRYU_PCSCD_VPCD_SCRIPT as the path of tools/pcscd-vpcd"
#endif

namespace zairyu::testing {

using card::Bytes;
using card::ByteView;

// A pcscd started by tools/pcscd-vpcd in the run directory
// $TMPDIR/zairyu-pcscd-<name>; stopped (only if this object started it) by
// stop() or the destructor. The directory name is fixed per user of the
// fixture, so start() first stops a pcscd left behind by a crashed earlier run
// of the same test, instead of finding it in the way.
//
// Network: kIsolated runs pcscd in a private network namespace (the script's
// --isolate-network; start() fails where that is impossible), kAuto isolates
// when possible, kShared (the default, as before isolation existed) uses the
// host's, where vpcd listens on 0.0.0.0. With a namespace, bridges connect
// with VpcdBridgeOptions::network_namespace = netns() (or netns_path() when
// made before start(); vicc: `nsenter --net=PATH vicc ...`).
class PcscdRun {
 public:
  enum class Network { kShared, kAuto, kIsolated };

  PcscdRun(const std::string& name, int slots, std::uint16_t port_base, std::string mode = "normal",
           Network network = Network::kShared)
      : slots_(slots),
        port_base_(port_base),
        mode_(std::move(mode)),
        network_(network),
        dir_((std::filesystem::temp_directory_path() / ("zairyu-pcscd-" + name)).string()) {
    std::filesystem::create_directories(dir_);
  }
  ~PcscdRun() {
    stop();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  PcscdRun(const PcscdRun&) = delete;
  PcscdRun& operator=(const PcscdRun&) = delete;

  // Throws with the script's message when pcscd cannot be started. While
  // another pcscd serves the machine (another test run on it), waits up to
  // `busy_wait` for it to go.
  void start(std::chrono::seconds busy_wait = std::chrono::seconds(240)) {
    run_script("stop");  // a leftover of a crashed run of the same test, if any
    const std::string out = dir_ + "/script.out";
    const char* network = network_ == Network::kShared     ? " --shared-network"
                          : network_ == Network::kIsolated ? " --isolate-network"
                                                           : "";
    const std::string command = std::string(ZAIRYU_PCSCD_VPCD_SCRIPT) + " start --dir " + dir_ +
                                " --slots " + std::to_string(slots_) + " --port-base " +
                                std::to_string(port_base_) + " --mode " + mode_ + network + " >" +
                                out + " 2>&1";
    const auto deadline = std::chrono::steady_clock::now() + busy_wait;
    bool said = false;
    while (std::system(command.c_str()) != 0) {
      std::ifstream in(out);
      const std::string message(std::istreambuf_iterator<char>(in), {});
      const bool busy = message.find("another pcscd") != std::string::npos ||
                        message.find("is a zombie") != std::string::npos;
      if (!busy || std::chrono::steady_clock::now() >= deadline) {
        throw std::runtime_error("pcscd-vpcd start failed: " + message);
      }
      if (!said) std::fprintf(stderr, "pcscd busy, waiting: %s", message.c_str());
      said = true;
      std::this_thread::sleep_for(std::chrono::seconds(2));
    }
    started_ = true;
    netns_ = script_output("netns");
  }
  void stop() {
    if (!started_) return;
    run_script("stop");
    started_ = false;
  }
  // The network namespace file pcscd runs in (RUNDIR/netns), empty when it
  // shares the host's. Valid after start(); stays the same path across
  // restarts of the same run (bridges follow the new namespace by themselves).
  const std::string& netns() const { return netns_; }
  // The namespace path to give bridges before start(), for kIsolated runs.
  std::string netns_path() const { return dir_ + "/netns"; }
  // Reader name of slot i, as the script names it.
  static std::string reader_name(int slot) {
    return "Zairyu vpcd " + std::to_string(slot / 2) + " 00 0" + std::to_string(slot % 2);
  }
  std::uint16_t port(int slot) const { return static_cast<std::uint16_t>(port_base_ + slot); }
  const std::string& dir() const { return dir_; }

 private:
  void run_script(const char* command) {
    const std::string line = std::string(ZAIRYU_PCSCD_VPCD_SCRIPT) + " " + command + " --dir " +
                             dir_ + " >/dev/null 2>&1";
    (void)std::system(line.c_str());
  }
  std::string script_output(const char* command) {
    const std::string line =
        std::string(ZAIRYU_PCSCD_VPCD_SCRIPT) + " " + command + " --dir " + dir_ + " 2>/dev/null";
    std::string text;
    if (FILE* pipe = ::popen(line.c_str(), "r")) {
      char buffer[512];
      while (std::fgets(buffer, sizeof buffer, pipe)) text += buffer;
      ::pclose(pipe);
    }
    while (!text.empty() && text.back() == '\n') text.pop_back();
    return text;
  }

  int slots_;
  std::uint16_t port_base_;
  std::string mode_;
  Network network_;
  std::string dir_;
  std::string netns_;
  bool started_ = false;
};

// A PC/SC context with the few calls the tests need.
class PcscClient {
 public:
  PcscClient() {
    check(SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &context_),
          "SCardEstablishContext");
  }
  ~PcscClient() {
    if (card_) SCardDisconnect(card_, SCARD_LEAVE_CARD);
    SCardReleaseContext(context_);
  }
  PcscClient(const PcscClient&) = delete;
  PcscClient& operator=(const PcscClient&) = delete;

  std::vector<std::string> readers() {
    DWORD length = 0;
    LONG rv = SCardListReaders(context_, nullptr, nullptr, &length);
    if (rv == static_cast<LONG>(SCARD_E_NO_READERS_AVAILABLE)) return {};
    check(rv, "SCardListReaders");
    std::string buffer(length, '\0');
    check(SCardListReaders(context_, nullptr, buffer.data(), &length), "SCardListReaders");
    std::vector<std::string> out;
    for (const char* p = buffer.c_str(); *p; p += std::strlen(p) + 1) out.emplace_back(p);
    return out;
  }

  // Waits until the reader shows a card (present=true) or no card; false on
  // timeout. Uses SCardGetStatusChange as an application would.
  bool wait_card(const std::string& reader, bool present, std::chrono::milliseconds timeout) {
    SCARD_READERSTATE state{};
    state.szReader = reader.c_str();
    state.dwCurrentState = SCARD_STATE_UNAWARE;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      const LONG rv = SCardGetStatusChange(context_, static_cast<DWORD>(left.count()), &state, 1);
      if (rv == static_cast<LONG>(SCARD_E_TIMEOUT)) return false;
      check(rv, "SCardGetStatusChange");
      const bool has_card = (state.dwEventState & SCARD_STATE_PRESENT) != 0;
      if (has_card == present && (state.dwEventState & SCARD_STATE_MUTE) == 0) return true;
      state.dwCurrentState = state.dwEventState & ~SCARD_STATE_CHANGED;
    }
    return false;
  }

  void connect(const std::string& reader) {
    if (card_) SCardDisconnect(card_, SCARD_LEAVE_CARD);
    card_ = 0;
    check(SCardConnect(context_, reader.c_str(), SCARD_SHARE_SHARED,
                       SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &card_, &protocol_),
          "SCardConnect");
  }

  Bytes transmit(ByteView command) {
    const SCARD_IO_REQUEST* pci = protocol_ == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1;
    Bytes response(65538);
    DWORD length = static_cast<DWORD>(response.size());
    check(SCardTransmit(card_, pci, command.data(), static_cast<DWORD>(command.size()), nullptr,
                        response.data(), &length),
          "SCardTransmit");
    response.resize(length);
    return response;
  }

  Bytes atr() {
    char name[256];
    DWORD name_length = sizeof name, state = 0, protocol = 0;
    BYTE atr[MAX_ATR_SIZE];
    DWORD atr_length = sizeof atr;
    check(SCardStatus(card_, name, &name_length, &state, &protocol, atr, &atr_length),
          "SCardStatus");
    return Bytes(atr, atr + atr_length);
  }

  static void check(LONG rv, const char* what) {
    if (rv != SCARD_S_SUCCESS) {
      throw std::runtime_error(std::string(what) + ": " + pcsc_stringify_error(rv));
    }
  }

 private:
  SCARDCONTEXT context_ = 0;
  SCARDHANDLE card_ = 0;
  DWORD protocol_ = 0;
};

}  // namespace zairyu::testing
