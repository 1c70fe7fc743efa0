#include "emulator/vpcd/vpcd_bridge.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <stdexcept>
#include <system_error>
#include <utility>

namespace zairyu::vpcd {
namespace {

[[noreturn]] void throw_errno(const char* what) {
  throw std::system_error(errno, std::generic_category(), what);
}

sockaddr_in loopback_address(const std::string& host, std::uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  if (inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1 ||
      (ntohl(addr.sin_addr.s_addr) >> 24) != 127) {
    throw std::invalid_argument("vpcd bridge: host must be an IPv4 loopback address: " + host);
  }
  return addr;
}

void set_int_option(int fd, int level, int name, int value) {
  // Failure only costs speed, never correctness, so it is not fatal.
  (void)setsockopt(fd, level, name, &value, sizeof value);
}

// Sends the whole buffer; the first send() carries all of it unless the socket
// buffer is full, so a frame leaves in one segment.
bool send_all(int fd, const Bytes& data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

// Moves the calling thread into the network namespace named by `path`, unless
// it is in it already (`inode` remembers the one entered). Returns 0 or an
// errno; ENOENT also when the path is not (yet) a namespace file. setns() of a
// network namespace changes only the calling thread.
int enter_network_namespace(const std::string& path, std::uint64_t& inode) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  struct statfs fs {};
  struct stat st {};
  int error = 0;
  if (::fstatfs(fd, &fs) != 0 || fs.f_type != NSFS_MAGIC || ::fstat(fd, &st) != 0) {
    error = ENOENT;
  } else if (st.st_ino != inode) {
    if (::setns(fd, CLONE_NEWNET) == 0) {
      inode = st.st_ino;
    } else {
      error = errno;
    }
  }
  ::close(fd);
  return error;
}

}  // namespace

// The eventfd that slot events and stop() write to. Shared with the listener
// closure so a late event from another thread never writes to a closed fd.
struct VpcdBridge::Wake {
  Wake() : fd(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
    if (fd < 0) throw_errno("eventfd");
  }
  ~Wake() { ::close(fd); }
  Wake(const Wake&) = delete;
  Wake& operator=(const Wake&) = delete;
  void signal() const {
    const std::uint64_t one = 1;
    (void)!::write(fd, &one, sizeof one);
  }
  void drain() const {
    std::uint64_t value = 0;
    (void)!::read(fd, &value, sizeof value);
  }
  const int fd;
  // Set by a kRemoved event: a card swap (removed, then inserted at once)
  // must still drop the link, though present() is true again.
  std::atomic<bool> removed{false};
};

VpcdBridge::VpcdBridge(std::shared_ptr<slots::SlotDevice> device, VpcdBridgeOptions options)
    : device_(std::move(device)), options_(std::move(options)), wake_(std::make_shared<Wake>()) {
  loopback_address(options_.host, options_.port);  // validates early
  if (!options_.network_namespace.empty() && options_.mode != VpcdBridgeOptions::Mode::kConnect) {
    throw std::invalid_argument("vpcd bridge: network_namespace needs kConnect mode");
  }
  port_ = options_.port;
}

VpcdBridge::~VpcdBridge() { stop(); }

void VpcdBridge::start() {
  std::lock_guard lock(start_stop_mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  if (!options_.network_namespace.empty()) {
    // Try once in a throwaway thread so that a namespace we may never enter
    // fails here, not silently in the bridge thread. Missing = not yet there.
    int error = 0;
    std::thread([&] {
      std::uint64_t inode = 0;
      error = enter_network_namespace(options_.network_namespace, inode);
    }).join();
    if (error != 0 && error != ENOENT) {
      throw std::system_error(error, std::generic_category(),
                              "vpcd bridge: cannot enter network namespace " +
                                  options_.network_namespace + " (setns needs CAP_SYS_ADMIN)");
    }
  }
  if (options_.mode == VpcdBridgeOptions::Mode::kListen) {
    const sockaddr_in addr = loopback_address(options_.host, options_.port);
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listen_fd_ < 0) throw_errno("socket");
    set_int_option(listen_fd_, SOL_SOCKET, SO_REUSEADDR, 1);
    if (::bind(listen_fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listen_fd_, 4) != 0) {
      const int saved = errno;
      ::close(listen_fd_);
      listen_fd_ = -1;
      errno = saved;
      throw_errno("vpcd bridge: bind/listen");
    }
    sockaddr_in bound{};
    socklen_t length = sizeof bound;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&bound), &length);
    port_ = ntohs(bound.sin_port);
  }
  netns_inode_ = 0;  // a new thread starts in the caller's namespace
  device_->set_listener([wake = wake_](slots::SlotEvent event) {
    if (event == slots::SlotEvent::kRemoved) wake->removed = true;
    wake->signal();
  });
  thread_ = std::thread([this] { run(); });
}

void VpcdBridge::stop() {
  std::lock_guard lock(start_stop_mutex_);
  if (!thread_.joinable()) return;
  stopping_ = true;
  wake_->signal();
  thread_.join();
  device_->set_listener(nullptr);
  if (listen_fd_ >= 0) {
    ::close(listen_fd_);
    listen_fd_ = -1;
  }
}

bool VpcdBridge::wait_wake(int timeout_ms) {
  pollfd p{wake_->fd, POLLIN, 0};
  const int r = ::poll(&p, 1, timeout_ms);
  if (r > 0) {
    wake_->drain();
    return true;
  }
  return false;
}

void VpcdBridge::run() {
  while (!stopping_) {
    // kConnect: an empty slot is simply no link. kListen keeps accepting so
    // that it can refuse links while empty (accept and close).
    if (options_.mode == VpcdBridgeOptions::Mode::kConnect && !device_->present()) {
      wait_wake(-1);
      continue;
    }
    const int fd = acquire_link();
    if (fd < 0) continue;
    wake_->removed = false;
    if (device_->present()) {
      ++links_;
      connected_ = true;
      serve(fd);
      connected_ = false;
    }
    ::close(fd);
  }
}

int VpcdBridge::acquire_link() {
  if (options_.mode == VpcdBridgeOptions::Mode::kListen) {
    std::array<pollfd, 2> p{{{listen_fd_, POLLIN, 0}, {wake_->fd, POLLIN, 0}}};
    if (::poll(p.data(), p.size(), -1) < 0) return -1;
    if (p[1].revents != 0) wake_->drain();
    if ((p[0].revents & POLLIN) == 0) return -1;
    return ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
  }
  const int fd = connect_once();
  if (fd < 0) wait_wake(static_cast<int>(options_.retry_interval.count()));
  return fd;
}

int VpcdBridge::connect_once() {
  // Sockets stay in the namespace they were created in, so enter first.
  if (!options_.network_namespace.empty() &&
      enter_network_namespace(options_.network_namespace, netns_inode_) != 0) {
    return -1;
  }
  const sockaddr_in addr = loopback_address(options_.host, options_.port);
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

void VpcdBridge::serve(int fd) {
  if (options_.tune_socket) set_int_option(fd, IPPROTO_TCP, TCP_NODELAY, 1);
  VpcdFrameReader reader(options_.max_frame);
  std::array<std::uint8_t, 16384> buffer{};
  while (!stopping_) {
    std::array<pollfd, 2> p{{{fd, POLLIN, 0}, {wake_->fd, POLLIN, 0}}};
    if (::poll(p.data(), p.size(), -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (p[1].revents != 0) {
      wake_->drain();
      if (stopping_ || wake_->removed.exchange(false) || !device_->present()) return;
    }
    if (p[0].revents == 0) continue;
    // Linux clears TCP_QUICKACK after a while; re-arm it before every receive
    // so our ACK of vpcd's 2-byte length write is never delayed.
    if (options_.tune_socket) set_int_option(fd, IPPROTO_TCP, TCP_QUICKACK, 1);
    const ssize_t n = ::recv(fd, buffer.data(), buffer.size(), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    reader.feed(ByteView(buffer.data(), static_cast<std::size_t>(n)));
    while (auto frame = reader.next()) {
      if (!handle(fd, *frame)) return;
    }
    if (reader.failed()) return;
  }
}

bool VpcdBridge::handle(int fd, const VpcdFrame& frame) {
  switch (frame.kind) {
    case VpcdFrame::Kind::kGetAtr: {
      // vpcd polls this every ~400 ms per slot; it must be answered at once.
      const auto atr = device_->atr();
      return atr && send_all(fd, encode_frame(*atr));
    }
    case VpcdFrame::Kind::kPowerOff:
    case VpcdFrame::Kind::kPowerOn:
    case VpcdFrame::Kind::kReset:
      device_->reset();
      return true;
    case VpcdFrame::Kind::kUnknownControl:
    case VpcdFrame::Kind::kEmpty:
      return true;  // vpcd never sends these and expects no answer
    case VpcdFrame::Kind::kApdu: {
      const auto response = device_->exchange(frame.payload);
      if (!response || response->size() > kMaxWirePayload) return false;
      ++apdus_;
      return send_all(fd, encode_frame(*response));
    }
  }
  return false;
}

}  // namespace zairyu::vpcd
