#include "emulator/online/ip_address.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>

namespace zairyu::online {
namespace {

constexpr std::array<std::uint8_t, 12> kV4MappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
constexpr int kV4Offset = 96;  // bits before the IPv4 part of a mapped address

std::optional<int> ParseInt(std::string_view s) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

// The mask for one byte when `bits` prefix bits remain from this byte on.
std::uint8_t MaskByte(int bits) {
  if (bits >= 8) return 0xff;
  if (bits <= 0) return 0;
  return static_cast<std::uint8_t>(0xff << (8 - bits));
}

}  // namespace

bool IpAddress::IsV4() const {
  return std::equal(kV4MappedPrefix.begin(), kV4MappedPrefix.end(), bytes.begin());
}

std::string IpAddress::ToString() const {
  char buf[INET6_ADDRSTRLEN] = {};
  if (IsV4()) {
    inet_ntop(AF_INET, bytes.data() + 12, buf, sizeof buf);
  } else {
    inet_ntop(AF_INET6, bytes.data(), buf, sizeof buf);
  }
  return buf;
}

std::optional<IpAddress> ParseIp(std::string_view text) {
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  const std::string s(text);  // inet_pton needs a terminated string
  IpAddress a;
  std::uint8_t v4[4];
  if (inet_pton(AF_INET, s.c_str(), v4) == 1) {
    std::copy(kV4MappedPrefix.begin(), kV4MappedPrefix.end(), a.bytes.begin());
    std::copy(v4, v4 + 4, a.bytes.begin() + 12);
    return a;
  }
  if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) == 1) return a;
  return std::nullopt;
}

std::optional<IpAddress> ParsePeer(std::string_view peer) {
  for (std::string_view scheme : {"ipv4:", "ipv6:"}) {
    if (peer.substr(0, scheme.size()) == scheme) peer.remove_prefix(scheme.size());
  }
  if (auto bare = ParseIp(peer)) return bare;
  if (!peer.empty() && peer.front() == '[') {  // [v6]:port
    const auto close = peer.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    return ParseIp(peer.substr(1, close - 1));
  }
  const auto colon = peer.rfind(':');  // v4:port
  if (colon == std::string_view::npos) return std::nullopt;
  auto a = ParseIp(peer.substr(0, colon));
  if (a && !a->IsV4()) return std::nullopt;  // "2001:db8::1:80" is not host:port
  return a;
}

bool Cidr::Contains(const IpAddress& a) const {
  for (std::size_t i = 0; i < a.bytes.size(); ++i) {
    if ((a.bytes[i] & MaskByte(prefix - static_cast<int>(i) * 8)) != base.bytes[i]) return false;
  }
  return true;
}

std::string Cidr::ToString() const {
  const int shown = base.IsV4() && prefix >= kV4Offset ? prefix - kV4Offset : prefix;
  return base.ToString() + "/" + std::to_string(shown);
}

std::optional<Cidr> ParseCidr(std::string_view text) {
  const auto slash = text.find('/');
  auto base = ParseIp(text.substr(0, slash));
  if (!base) return std::nullopt;
  const int max = base->IsV4() ? 32 : 128;
  int len = max;
  if (slash != std::string_view::npos) {
    auto parsed = ParseInt(text.substr(slash + 1));
    if (!parsed || *parsed < 0 || *parsed > max) return std::nullopt;
    len = *parsed;
  }
  Cidr c{*base, base->IsV4() ? len + kV4Offset : len};
  for (std::size_t i = 0; i < c.base.bytes.size(); ++i) {  // clear host bits
    c.base.bytes[i] &= MaskByte(c.prefix - static_cast<int>(i) * 8);
  }
  return c;
}

}  // namespace zairyu::online
