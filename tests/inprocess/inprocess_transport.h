// InProcessTransport: the client's CardTransport over the virtual card model
// linked into the same process (unit tests, the harness's direct mode,
// benchmarks). It lives with the tests, so client/ never depends on emulator/.
#pragma once

#include <memory>

#include "emulator/card/card.h"
#include "zairyu/client/transport.h"

namespace zairyu::inprocess {

// Forwards APDUs to a card::Card with the same 61 xx / 6C xx handling as the
// PC/SC transport. remove() simulates pulling the card out of the reader.
class InProcessTransport final : public client::CardTransport {
 public:
  explicit InProcessTransport(std::shared_ptr<card::Card> card);

  client::Bytes transmit(client::ByteView command) override;
  void reset() override;
  client::Bytes atr() const override;
  std::uint64_t session() const override { return session_; }

  // Card removal and re-insertion (insertion powers the card up: a reset).
  void remove() { present_ = false; }
  void insert();

 private:
  void require_present() const;

  std::shared_ptr<card::Card> card_;
  bool present_ = true;
  std::uint64_t session_ = 1;
};

}  // namespace zairyu::inprocess
