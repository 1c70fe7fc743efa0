#include "zairyu/client/card_channel.h"

#include <openssl/crypto.h>

#include <algorithm>

namespace zairyu::client {

namespace {
// Wipes a buffer that held a PIN when it goes out of scope, also on throw.
struct WipeOnExit {
  Bytes& bytes;
  bool active;
  ~WipeOnExit() {
    if (active && !bytes.empty()) OPENSSL_cleanse(bytes.data(), bytes.size());
  }
};
}  // namespace

CardChannel::CardChannel(CardTransport& transport) : transport_(transport) {}

ResponseApdu CardChannel::transmit(const Apdu& command) {
  Bytes encoded = command.encode();
  WipeOnExit wipe{encoded, command.is_sensitive()};
  Bytes response;
  try {
    response = transport_.transmit(encoded);
  } catch (...) {
    if (trace_) trace_(ApduTrace{command.encode_masked(), {}, command.is_sensitive()});
    throw;
  }
  if (trace_) trace_(ApduTrace{command.encode_masked(), response, command.is_sensitive()});
  return ResponseApdu(response);
}

bool CardChannel::is_selected(ByteView aid) const {
  return selected_ && selected_session_ == transport_.session() &&
         std::equal(selected_->begin(), selected_->end(), aid.begin(), aid.end());
}

void CardChannel::set_selected(ByteView aid) {
  selected_.emplace(aid.begin(), aid.end());
  selected_session_ = transport_.session();
}

}  // namespace zairyu::client
