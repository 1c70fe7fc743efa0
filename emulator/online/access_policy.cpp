#include "emulator/online/access_policy.h"

#include <algorithm>
#include <optional>

#include "emulator/online/rule_catalog.h"

namespace zairyu::online {
namespace {

constexpr std::string_view kJapan = "JP";

Rejection Foreign(std::string_view who, std::string_view country) {
  return Reject("RAS-ACC-001", "ACCESS_FROM_OUTSIDE_JAPAN", ErrorCategory::kPermissionDenied,
                "access from outside Japan is not allowed (address " + std::string(who) +
                    ", country " + std::string(country) + ")");
}

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The X-Forwarded-For entries, left to right.
std::vector<std::string_view> SplitList(std::string_view list) {
  std::vector<std::string_view> out;
  while (true) {
    const auto comma = list.find(',');
    out.push_back(TrimSpaces(list.substr(0, comma)));
    if (comma == std::string_view::npos) return out;
    list.remove_prefix(comma + 1);
  }
}

}  // namespace

AccessPolicy::AccessPolicy(GeoTable geo, std::vector<Cidr> trusted_proxies)
    : geo_(std::move(geo)), trusted_proxies_(std::move(trusted_proxies)) {}

bool AccessPolicy::Trusted(const IpAddress& a) const {
  return std::any_of(trusted_proxies_.begin(), trusted_proxies_.end(),
                     [&](const Cidr& c) { return c.Contains(a); });
}

Result<AccessOrigin> AccessPolicy::Check(std::string_view peer,
                                         std::string_view forwarded_for) const {
  std::optional<IpAddress> client = ParsePeer(peer);
  if (!client) return Foreign(peer, "unknown");
  if (Trusted(*client) && !TrimSpaces(forwarded_for).empty()) {
    const auto hops = SplitList(forwarded_for);
    for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
      client = ParsePeer(*it);
      if (!client) return Foreign(*it, "unknown");
      if (!Trusted(*client)) break;
    }
  }
  const auto country = geo_.CountryOf(*client);
  if (!country || *country != kJapan) {
    return Foreign(client->ToString(), country.value_or("unknown"));
  }
  return AccessOrigin{*client, *country};
}

}  // namespace zairyu::online
