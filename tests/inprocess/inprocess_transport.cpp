#include "inprocess_transport.h"

#include <utility>

#include "zairyu/client/errors.h"

namespace zairyu::inprocess {

InProcessTransport::InProcessTransport(std::shared_ptr<card::Card> card) : card_(std::move(card)) {}

void InProcessTransport::require_present() const {
  // Same code name PC/SC gives for a card pulled out of the reader.
  if (!present_) {
    throw client::CardRemovedError("in-process card removed", "SCARD_W_REMOVED_CARD");
  }
}

client::Bytes InProcessTransport::transmit(client::ByteView command) {
  require_present();
  return client::transmit_resolving_iso_chaining(
      command, [this](client::ByteView raw) { return card_->transmit(raw); });
}

void InProcessTransport::reset() {
  require_present();
  card_->reset();
  ++session_;
}

client::Bytes InProcessTransport::atr() const {
  require_present();
  return card_->atr();
}

void InProcessTransport::insert() {
  present_ = true;
  card_->reset();
  ++session_;
}

}  // namespace zairyu::inprocess
