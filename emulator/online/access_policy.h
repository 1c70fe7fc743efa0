// Access control by network origin ([S0][S2], online-system.md §4): the
// client's address is looked up in the geo table and anything not in Japan is
// refused before any other rule runs. Immutable after construction, so it is
// safe to share between threads; the control plane swaps in a new policy.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "emulator/online/geo_table.h"
#include "emulator/online/ip_address.h"
#include "emulator/online/rejection.h"

namespace zairyu::online {

// Where a request came from, once accepted.
struct AccessOrigin {
  IpAddress client;
  std::string country;  // always "JP" when accepted
};

class AccessPolicy {
 public:
  AccessPolicy(GeoTable geo, std::vector<Cidr> trusted_proxies);

  // RAS-ACC-002, then RAS-ACC-001. `peer` is the transport peer (any form
  // ParsePeer takes); `forwarded_for` the X-Forwarded-For value or empty.
  // The forwarded list is read only if the peer is a trusted proxy; then the
  // right-most entry that is not a trusted proxy is the client (all trusted:
  // the left-most). An address that does not parse, and an address the geo
  // table does not know, count as foreign (fail closed).
  Result<AccessOrigin> Check(std::string_view peer, std::string_view forwarded_for) const;

 private:
  bool Trusted(const IpAddress& a) const;

  GeoTable geo_;
  std::vector<Cidr> trusted_proxies_;
};

}  // namespace zairyu::online
