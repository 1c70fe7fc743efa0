// TimedTransport: passes every exchange through and notes when the latest
// one began (on the run's clock), so the APDU trace can say how long the
// card took; the speed benchmark sums those times.
#pragma once

#include <cstdint>
#include <functional>

#include "zairyu/client/transport.h"

namespace zairyu::conformance {

class TimedTransport final : public client::CardTransport {
 public:
  explicit TimedTransport(client::CardTransport& inner) : inner_(inner) {}

  // `clock`: microseconds since the run started (RunContext::elapsed_us).
  void set_clock(std::function<std::int64_t()> clock) { clock_ = std::move(clock); }
  // When the latest transmit() began; -1 before the first or without a clock.
  std::int64_t last_start() const { return last_start_; }

  client::Bytes transmit(client::ByteView command) override {
    last_start_ = clock_ ? clock_() : -1;
    return inner_.transmit(command);
  }
  void reset() override { inner_.reset(); }
  client::Bytes atr() const override { return inner_.atr(); }
  std::uint64_t session() const override { return inner_.session(); }

 private:
  client::CardTransport& inner_;
  std::function<std::int64_t()> clock_;
  std::int64_t last_start_ = -1;
};

}  // namespace zairyu::conformance
