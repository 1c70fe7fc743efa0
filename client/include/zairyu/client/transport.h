// CardTransport: how the client reaches a card (PC/SC, or in-process in tests).
#pragma once

#include <cstdint>
#include <functional>

#include "zairyu/client/bytes.h"

namespace zairyu::client {

// One connection to one card. Implementations raise CardRemovedError,
// ReaderNotFoundError, CardResetError, TimeoutError or TransportError.
class CardTransport {
 public:
  virtual ~CardTransport() = default;
  // Sends a command APDU and returns the complete response (data + SW1 SW2),
  // with 61 xx (GET RESPONSE) and 6C xx (wrong Le) already resolved.
  virtual Bytes transmit(ByteView command) = 0;
  // Warm-resets the card: its security state and selection are lost.
  virtual void reset() = 0;
  // The card's answer to reset.
  virtual Bytes atr() const = 0;
  // Changes whenever the card may have lost its security state (reset,
  // reconnect). Callers use it to know that a selected application is gone.
  virtual std::uint64_t session() const = 0;
};

// Sends one raw command and returns the raw response, nothing resolved.
using RawTransmit = std::function<Bytes(ByteView command)>;

// The ISO 7816-4 response handling every transport needs, over a raw link:
// - 6C xx: the command is re-sent once with Le = xx (only if it had an Le);
// - 61 xx: GET RESPONSE (00 C0 00 00 xx) until the card stops asking, the data
//   of all parts joined.
// Bounded: at most 64 GET RESPONSE rounds and 64 KiB in total, else
// CardProtocolError. A response shorter than 2 bytes is a CardProtocolError.
Bytes transmit_resolving_iso_chaining(ByteView command, const RawTransmit& raw);

}  // namespace zairyu::client
