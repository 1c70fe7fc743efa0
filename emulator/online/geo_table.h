// The geo table: CIDR prefix → country (ISO 3166 alpha-2), looked up by
// longest-prefix match. Loaded from fixtures and changed by control calls.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/online/ip_address.h"
#include "emulator/online/rejection.h"

namespace zairyu::online {

class GeoTable {
 public:
  struct Entry {
    Cidr prefix;
    std::string country;  // "JP"
  };

  // Adds or replaces the country of `prefix`.
  void Set(const Cidr& prefix, std::string country);
  // Removes `prefix`; false if it was not there.
  bool Remove(const Cidr& prefix);
  // The country of the longest prefix containing `a`, or nullopt.
  std::optional<std::string> CountryOf(const IpAddress& a) const;
  const std::vector<Entry>& entries() const { return entries_; }

 private:
  std::vector<Entry> entries_;
};

// Parses a table, one entry a line: "203.0.113.0/24 JP". Blank lines and '#'
// comments are skipped. YAML spellings of the same line are accepted too: a
// leading "- " (sequence item) and "CIDR: CC" with optional quotes (mapping).
// A later line for the same prefix replaces the earlier one. Errors come back
// as one INVALID_ARGUMENT rejection with a field violation per bad line
// ("line 3"). Pure: no I/O, safe for fuzzing.
Result<GeoTable> ParseGeoTable(std::string_view text);

}  // namespace zairyu::online
