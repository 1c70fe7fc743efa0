// IP addresses and CIDR prefixes for the geo table and trusted proxies.
// Every address is kept as 16 bytes: IPv4 a.b.c.d becomes the IPv4-mapped
// IPv6 address ::ffff:a.b.c.d, so an IPv4 prefix also matches a peer that
// reaches a dual-stack socket as ::ffff:a.b.c.d. Pure parsing, no I/O.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace zairyu::online {

struct IpAddress {
  std::array<std::uint8_t, 16> bytes{};

  bool IsV4() const;  // IPv4 or IPv4-mapped IPv6
  std::string ToString() const;
  friend bool operator==(const IpAddress&, const IpAddress&) = default;
};

// "203.0.113.7" or "2001:db8::1". Nothing else (no port, no zone id).
std::optional<IpAddress> ParseIp(std::string_view text);

// A gRPC or socket peer: "ipv4:203.0.113.7:5000", "ipv6:[2001:db8::1]:443",
// "[::1]:80", "203.0.113.7:5000" or a bare address.
std::optional<IpAddress> ParsePeer(std::string_view peer);

struct Cidr {
  IpAddress base;    // host bits cleared
  int prefix = 128;  // in the 128-bit space (an IPv4 /24 is stored as /120)

  bool Contains(const IpAddress& a) const;
  std::string ToString() const;
  friend bool operator==(const Cidr&, const Cidr&) = default;
};

// "203.0.113.0/24", "2001:db8::/32", or a bare address (a host route). Host
// bits set in the address are cleared.
std::optional<Cidr> ParseCidr(std::string_view text);

}  // namespace zairyu::online
