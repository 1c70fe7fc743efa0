// VpcdBridge: serves one card slot to pcscd's vpcd driver (vsmartcard) over TCP
// on the loopback interface. One bridge per slot, one thread per bridge.
//
// Two ways to meet vpcd (see emulator/vpcd/README.md for what was measured on
// Debian 12's vsmartcard-vpcd 3.3):
//  - kConnect (vpcd's normal mode, the default): vpcd listens (reader entry
//    `DEVICENAME /dev/null:P` gives slots on ports P and P+1) and the bridge
//    connects to 127.0.0.1:port. Card inserted = connected, removed = the link
//    is closed; when pcscd restarts the bridge simply connects again.
//  - kListen (vpcd's reversed mode, `DEVICENAME 127.0.0.1:P`): the bridge
//    listens on 127.0.0.1 and vpcd connects out. Debian's vpcd 3.3 aborts the
//    whole pcscd (FD_SET(-1) in waitforclient) as soon as such a link is
//    missing or drops, so in this mode the bridge must be listening before
//    pcscd starts and removing the card takes pcscd down. Kept for setups
//    with a fixed vpcd, and because it never listens on a public address.
//
// vpcd's normal mode listens on 0.0.0.0. To keep that off the host's network,
// tools/pcscd-vpcd runs pcscd in a private network namespace (only `lo`) and
// the bridge joins it through VpcdBridgeOptions::network_namespace.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "emulator/slots/slot_device.h"
#include "emulator/vpcd/vpcd_frame.h"

namespace zairyu::vpcd {

struct VpcdBridgeOptions {
  enum class Mode { kConnect, kListen };
  Mode mode = Mode::kConnect;
  // Must be an IPv4 loopback address (127.0.0.0/8); anything else is refused.
  std::string host = "127.0.0.1";
  // kConnect: vpcd's port for this slot. kListen: port to listen on, 0 = any
  // free port (see VpcdBridge::port()).
  std::uint16_t port = 0;
  // TCP_NODELAY once and TCP_QUICKACK before every recv(). Without them every
  // APDU costs ~44 ms (vpcd writes length and payload separately; Nagle meets
  // delayed ACK). false = plain sockets, only for the benchmark's comparison.
  bool tune_socket = true;
  // kConnect: pause between connection attempts while vpcd is not listening.
  std::chrono::milliseconds retry_interval{50};
  // Frames with a longer declared payload close the link.
  std::size_t max_frame = kMaxWirePayload;
  // kConnect only: path of a network namespace file (e.g. RUNDIR/netns written
  // by `tools/pcscd-vpcd start`, or /proc/PID/ns/net); empty = the caller's
  // namespace. The bridge thread setns()es into it before every connection
  // attempt whose file names a namespace other than the one it is in, so a
  // pcscd restarted in a new namespace at the same path is followed. Needs
  // CAP_SYS_ADMIN. While the path is missing or not a namespace file (pcscd
  // not started yet) the bridge waits and retries; it never connects in any
  // other namespace meanwhile.
  std::string network_namespace;
};

// Bridges one SlotDevice to vpcd. Thread model: start() spawns one thread that
// connects (or accepts), serves the link with poll() on the socket and an
// eventfd, and repeats until stop(). Slot events (insert/remove/reset) reach
// the thread through the eventfd: a removal closes the link at once, an
// insertion makes it connect again. A command the slot leaves unanswered (a
// "mute" fault) also closes the link, because vpcd waits for an answer without
// any timeout; pcscd then sees the card removed and, in kConnect mode,
// inserted again after retry_interval.
class VpcdBridge {
 public:
  VpcdBridge(std::shared_ptr<slots::SlotDevice> device, VpcdBridgeOptions options);
  ~VpcdBridge();
  VpcdBridge(const VpcdBridge&) = delete;
  VpcdBridge& operator=(const VpcdBridge&) = delete;

  // Installs the slot listener and starts the thread. kListen binds here, so a
  // busy port throws std::system_error from start(), not later. With
  // network_namespace set, start() throws std::system_error if that file
  // exists but cannot be entered (not a network namespace, no CAP_SYS_ADMIN).
  void start();
  // Closes the link, joins the thread, removes the slot listener. Idempotent.
  void stop();

  // The TCP port used (the bound one in kListen mode with port 0).
  std::uint16_t port() const { return port_; }
  // True while a vpcd link is up.
  bool connected() const { return connected_.load(); }
  // Links served since start() (a pcscd restart or re-insertion adds one).
  std::uint64_t links() const { return links_.load(); }
  // Command APDUs answered.
  std::uint64_t apdus() const { return apdus_.load(); }

 private:
  struct Wake;  // eventfd shared with the slot listener; outlives the bridge if needed

  void run();
  int acquire_link();  // connected socket, or -1 (retry / stopping)
  int connect_once();  // kConnect: one attempt, -1 on failure
  void serve(int fd);
  bool handle(int fd, const VpcdFrame& frame);  // false = close the link
  bool wait_wake(int timeout_ms);               // true if woken

  std::shared_ptr<slots::SlotDevice> device_;
  VpcdBridgeOptions options_;
  std::shared_ptr<Wake> wake_;
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::uint64_t netns_inode_ = 0;  // namespace the thread entered (bridge thread only)
  std::atomic<bool> stopping_{false};
  std::atomic<bool> connected_{false};
  std::atomic<std::uint64_t> links_{0};
  std::atomic<std::uint64_t> apdus_{0};
  std::mutex start_stop_mutex_;
  std::thread thread_;
};

}  // namespace zairyu::vpcd
