#define BOOST_TEST_MODULE vpcd_bridge
#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>

#include "emulator/slots/null_slot_device.h"
#include "emulator/slots/tests/test_printing.h"
#include "emulator/vpcd/vpcd_bridge.h"

namespace zairyu::vpcd {
namespace {

using namespace std::chrono_literals;

const Bytes kAtr{0x3B, 0xE0, 0x00, 0xFF, 0x81, 0x31, 0xFE, 0x45, 0x14};

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

// Plays vpcd's side of one link: writes length and payload in two send()
// calls as Debian's vpcd does, and reads framed answers with a timeout.
class VpcdPeer {
 public:
  explicit VpcdPeer(int fd) : fd_(fd) {}
  ~VpcdPeer() { ::close(fd_); }
  VpcdPeer(const VpcdPeer&) = delete;
  VpcdPeer& operator=(const VpcdPeer&) = delete;

  void send(const Bytes& payload) {
    const std::uint8_t length[2] = {static_cast<std::uint8_t>(payload.size() >> 8),
                                    static_cast<std::uint8_t>(payload.size())};
    BOOST_REQUIRE(::send(fd_, length, 2, MSG_NOSIGNAL) == 2);
    if (!payload.empty()) {
      BOOST_REQUIRE(::send(fd_, payload.data(), payload.size(), MSG_NOSIGNAL) ==
                    static_cast<ssize_t>(payload.size()));
    }
  }
  // nullopt when the bridge closed the link or nothing came within `timeout`.
  std::optional<Bytes> receive(std::chrono::milliseconds timeout = 2000ms) {
    std::uint8_t length[2];
    if (!read_exact(length, 2, timeout)) return std::nullopt;
    Bytes payload(static_cast<std::size_t>(length[0] << 8 | length[1]));
    if (!payload.empty() && !read_exact(payload.data(), payload.size(), timeout)) {
      return std::nullopt;
    }
    return payload;
  }
  std::optional<Bytes> transact(const Bytes& payload) {
    send(payload);
    return receive();
  }
  // True if the bridge closed its end within `timeout`. A close with unread
  // data in the bridge's receive buffer sends RST, not FIN: ECONNRESET.
  bool closed_by_peer(std::chrono::milliseconds timeout = 2000ms) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return false;
    std::uint8_t b;
    const ssize_t n = ::recv(fd_, &b, 1, MSG_DONTWAIT);
    return n == 0 || (n < 0 && errno == ECONNRESET);
  }

 private:
  bool read_exact(std::uint8_t* out, std::size_t n, std::chrono::milliseconds timeout) {
    std::size_t got = 0;
    while (got < n) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return false;
      const ssize_t r = ::recv(fd_, out + got, n - got, 0);
      if (r <= 0) return false;
      got += static_cast<std::size_t>(r);
    }
    return true;
  }
  int fd_;
};

// A socket listening on 127.0.0.1:port (0 = any free port), or -1. No Boost
// checks: also used from a helper thread.
int listen_socket(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr = loopback(port);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 4) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// vpcd in normal mode: a loopback listener the bridge connects to.
class FakeVpcdListener {
 public:
  FakeVpcdListener() : FakeVpcdListener(listen_socket(0)) {}
  // Adopts a listening socket (see listen_socket).
  explicit FakeVpcdListener(int fd) : fd_(fd) {
    BOOST_REQUIRE(fd_ >= 0);
    sockaddr_in addr{};
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~FakeVpcdListener() { ::close(fd_); }
  FakeVpcdListener(const FakeVpcdListener&) = delete;
  FakeVpcdListener& operator=(const FakeVpcdListener&) = delete;

  std::uint16_t port() const { return port_; }
  std::unique_ptr<VpcdPeer> accept(std::chrono::milliseconds timeout = 2000ms) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return nullptr;
    return std::make_unique<VpcdPeer>(::accept(fd_, nullptr, nullptr));
  }

 private:
  int fd_;
  std::uint16_t port_ = 0;
};

std::unique_ptr<VpcdPeer> connect_to(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr = loopback(port);
  BOOST_REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  return std::make_unique<VpcdPeer>(fd);
}

VpcdBridgeOptions connect_options(std::uint16_t port) {
  VpcdBridgeOptions o;
  o.mode = VpcdBridgeOptions::Mode::kConnect;
  o.port = port;
  o.retry_interval = 10ms;
  return o;
}

BOOST_AUTO_TEST_CASE(connect_mode_answers_atr_controls_and_apdus) {
  FakeVpcdListener vpcd;
  auto device = std::make_shared<slots::NullSlotDevice>();
  VpcdBridge bridge(device, connect_options(vpcd.port()));
  bridge.start();
  auto link = vpcd.accept();
  BOOST_TEST_REQUIRE(link != nullptr);
  BOOST_TEST(link->transact({0x04}) == kAtr);
  link->send({0x01});  // power on: no answer; the next answer belongs to GET ATR
  link->send({0x02});  // reset: no answer
  BOOST_TEST(link->transact({0x04}) == kAtr);
  BOOST_TEST(link->transact({0x00, 0x84, 0x00, 0x00, 0x08}) == (Bytes{0x90, 0x00}));
  BOOST_TEST(device->exchanges() == 1u);
  BOOST_TEST(bridge.apdus() == 1u);
  BOOST_TEST(bridge.connected());
  bridge.stop();
  BOOST_TEST(link->closed_by_peer());
}

BOOST_AUTO_TEST_CASE(connect_mode_follows_removal_and_insertion) {
  FakeVpcdListener vpcd;
  auto device = std::make_shared<slots::NullSlotDevice>();
  VpcdBridge bridge(device, connect_options(vpcd.port()));
  bridge.start();
  auto link = vpcd.accept();
  BOOST_TEST_REQUIRE(link != nullptr);
  BOOST_TEST(link->transact({0x04}) == kAtr);

  device->remove();
  BOOST_TEST(link->closed_by_peer());
  BOOST_TEST(vpcd.accept(200ms) == nullptr);  // an empty slot stays unconnected

  device->insert();
  auto again = vpcd.accept();
  BOOST_TEST_REQUIRE(again != nullptr);
  BOOST_TEST(again->transact({0x04}) == kAtr);
  BOOST_TEST(bridge.links() == 2u);
}

BOOST_AUTO_TEST_CASE(connect_mode_reconnects_after_vpcd_restart) {
  std::uint16_t port = 0;
  auto device = std::make_shared<slots::NullSlotDevice>();
  std::unique_ptr<VpcdBridge> bridge;
  {
    FakeVpcdListener vpcd;
    port = vpcd.port();
    bridge = std::make_unique<VpcdBridge>(device, connect_options(port));
    bridge->start();
    auto link = vpcd.accept();
    BOOST_TEST_REQUIRE(link != nullptr);
    BOOST_TEST(link->transact({0x04}) == kAtr);
  }  // "pcscd" exits: link and listener close
  std::this_thread::sleep_for(50ms);
  // A new "pcscd" on the same port: the bridge connects again by itself.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr = loopback(port);
  BOOST_REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  BOOST_REQUIRE(::listen(fd, 4) == 0);
  pollfd p{fd, POLLIN, 0};
  BOOST_TEST_REQUIRE(::poll(&p, 1, 2000) == 1);
  VpcdPeer link(::accept(fd, nullptr, nullptr));
  BOOST_TEST(link.transact({0x04}) == kAtr);
  // >= 2: the bridge may also catch the old listener in the instant before it closed.
  BOOST_TEST(bridge->links() >= 2u);
  bridge->stop();
  ::close(fd);
}

BOOST_AUTO_TEST_CASE(listen_mode_serves_and_refuses_while_empty) {
  auto device = std::make_shared<slots::NullSlotDevice>();
  VpcdBridgeOptions o;
  o.mode = VpcdBridgeOptions::Mode::kListen;
  VpcdBridge bridge(device, o);
  bridge.start();
  BOOST_TEST_REQUIRE(bridge.port() != 0);
  auto link = connect_to(bridge.port());
  BOOST_TEST(link->transact({0x04}) == kAtr);
  BOOST_TEST(link->transact({0x00, 0xB0, 0x00, 0x00, 0x04}) == (Bytes{0x90, 0x00}));

  device->remove();
  BOOST_TEST(link->closed_by_peer());
  auto refused = connect_to(bridge.port());
  BOOST_TEST(refused->closed_by_peer());  // accepted and closed: no card

  device->insert();
  auto again = connect_to(bridge.port());
  BOOST_TEST(again->transact({0x04}) == kAtr);
  bridge.stop();
}

BOOST_AUTO_TEST_CASE(oversized_frame_closes_the_link) {
  FakeVpcdListener vpcd;
  auto device = std::make_shared<slots::NullSlotDevice>();
  VpcdBridgeOptions o = connect_options(vpcd.port());
  o.max_frame = 300;
  VpcdBridge bridge(device, o);
  bridge.start();
  auto link = vpcd.accept();
  BOOST_TEST_REQUIRE(link != nullptr);
  link->send(Bytes(301, 0x00));
  BOOST_TEST(link->closed_by_peer());
}

// A card that never answers a command (as a kMute fault): vpcd would wait
// forever, so the bridge drops the link, then connects again.
class MuteDevice final : public slots::SlotDevice {
 public:
  bool present() const override { return true; }
  std::optional<Bytes> atr() const override { return kAtr; }
  void reset() override {}
  std::optional<Bytes> exchange(ByteView) override { return std::nullopt; }
  void set_listener(std::function<void(slots::SlotEvent)>) override {}
};

BOOST_AUTO_TEST_CASE(unanswered_command_drops_the_link_and_reconnects) {
  FakeVpcdListener vpcd;
  VpcdBridge bridge(std::make_shared<MuteDevice>(), connect_options(vpcd.port()));
  bridge.start();
  auto link = vpcd.accept();
  BOOST_TEST_REQUIRE(link != nullptr);
  link->send({0x00, 0xA4, 0x04, 0x0C});
  BOOST_TEST(link->closed_by_peer());
  auto again = vpcd.accept();
  BOOST_TEST_REQUIRE(again != nullptr);
  BOOST_TEST(again->transact({0x04}) == kAtr);
}

// A private network namespace with `lo` up and a listener in it, made by a
// helper thread (unshare(CLONE_NEWNET) moves only the calling thread). The
// namespace lives on through ns_fd; path names it for the bridge.
struct PrivateNetwork {
  PrivateNetwork() {
    std::thread([this] {
      if (::unshare(CLONE_NEWNET) != 0) {
        error = errno;
        return;
      }
      const int s = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
      ifreq ifr{};
      std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
      if (s < 0 || ::ioctl(s, SIOCGIFFLAGS, &ifr) != 0) error = errno;
      ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP);
      if (error == 0 && ::ioctl(s, SIOCSIFFLAGS, &ifr) != 0) error = errno;
      if (s >= 0) ::close(s);
      ns_fd = ::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
      listen_fd = listen_socket(0);
      if (error == 0 && (ns_fd < 0 || listen_fd < 0)) error = errno;
    }).join();
    path = "/proc/self/fd/" + std::to_string(ns_fd);
  }
  ~PrivateNetwork() {
    if (ns_fd >= 0) ::close(ns_fd);
  }
  PrivateNetwork(const PrivateNetwork&) = delete;
  PrivateNetwork& operator=(const PrivateNetwork&) = delete;

  int error = 0;
  int ns_fd = -1;
  int listen_fd = -1;  // adopted by a FakeVpcdListener
  std::string path;
};

BOOST_AUTO_TEST_CASE(connect_mode_joins_the_network_namespace) {
  PrivateNetwork net;
  if (net.error == EPERM) {
    BOOST_TEST_MESSAGE("skipped: no permission to create a network namespace");
    return;
  }
  BOOST_TEST_REQUIRE(net.error == 0, std::strerror(net.error));
  FakeVpcdListener inside(net.listen_fd);
  // Same port in our namespace: the bridge must never connect here.
  FakeVpcdListener outside(listen_socket(inside.port()));
  auto device = std::make_shared<slots::NullSlotDevice>();
  VpcdBridgeOptions o = connect_options(inside.port());
  o.network_namespace = net.path;
  VpcdBridge bridge(device, o);
  bridge.start();
  auto link = inside.accept();
  BOOST_TEST_REQUIRE(link != nullptr);
  BOOST_TEST(link->transact({0x04}) == kAtr);
  device->remove();
  BOOST_TEST(link->closed_by_peer());
  device->insert();
  auto again = inside.accept();
  BOOST_TEST_REQUIRE(again != nullptr);
  BOOST_TEST(again->transact({0x00, 0x84, 0x00, 0x00, 0x08}) == (Bytes{0x90, 0x00}));
  BOOST_TEST(outside.accept(100ms) == nullptr);
  bridge.stop();
}

BOOST_AUTO_TEST_CASE(missing_namespace_waits_without_connecting) {
  FakeVpcdListener vpcd;
  VpcdBridgeOptions o = connect_options(vpcd.port());
  o.network_namespace = "/nonexistent/zairyu-netns";
  VpcdBridge bridge(std::make_shared<slots::NullSlotDevice>(), o);
  bridge.start();  // missing = pcscd not started yet: no error
  BOOST_TEST(vpcd.accept(300ms) == nullptr);
  BOOST_TEST(!bridge.connected());
}

BOOST_AUTO_TEST_CASE(namespace_of_another_kind_fails_at_start) {
  VpcdBridgeOptions o = connect_options(35963);
  o.network_namespace = "/proc/self/ns/uts";
  VpcdBridge bridge(std::make_shared<slots::NullSlotDevice>(), o);
  BOOST_CHECK_THROW(bridge.start(), std::system_error);
  o.mode = VpcdBridgeOptions::Mode::kListen;
  BOOST_CHECK_THROW(VpcdBridge(std::make_shared<slots::NullSlotDevice>(), o),
                    std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(refuses_non_loopback_hosts) {
  auto device = std::make_shared<slots::NullSlotDevice>();
  VpcdBridgeOptions o;
  o.host = "0.0.0.0";
  BOOST_CHECK_THROW(VpcdBridge(device, o), std::invalid_argument);
  o.host = "192.168.1.1";
  BOOST_CHECK_THROW(VpcdBridge(device, o), std::invalid_argument);
}

}  // namespace
}  // namespace zairyu::vpcd
