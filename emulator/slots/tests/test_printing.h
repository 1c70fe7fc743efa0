// Lets Boost.Test print byte strings (as hex) when a comparison fails.
#pragma once

#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <optional>
#include <ostream>

#include "emulator/card/bytes.h"

namespace boost::test_tools::tt_detail {

template <>
struct print_log_value<zairyu::card::Bytes> {
  void operator()(std::ostream& os, const zairyu::card::Bytes& bytes) {
    for (std::size_t i = 0; i < bytes.size(); ++i) {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%02X", bytes[i]);
      os << (i ? " " : "") << hex;
    }
  }
};

template <>
struct print_log_value<std::optional<zairyu::card::Bytes>> {
  void operator()(std::ostream& os, const std::optional<zairyu::card::Bytes>& bytes) {
    if (!bytes) {
      os << "(none)";
    } else {
      print_log_value<zairyu::card::Bytes>()(os, *bytes);
    }
  }
};

}  // namespace boost::test_tools::tt_detail
