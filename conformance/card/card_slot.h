// A card in a reader slot, with the client library stacked on it. How the
// APDUs travel (in process, PC/SC) and how the card is moved is the
// backend's business; the card actions only see this.
#pragma once

#include <memory>

#include "conformance/card/timed_transport.h"
#include "emulator/card/card_profile.h"
#include "emulator/persona/persona.h"
#include "zairyu/client/card_channel.h"
#include "zairyu/client/input_helper_card.h"
#include "zairyu/client/jpki_card.h"
#include "zairyu/client/transport.h"

namespace zairyu::conformance {

// A persona with its card profile and the CA certificates that issued it:
// what the actions compare the card's answers with.
struct LoadedPersona {
  persona::Persona persona;
  card::CardProfile profile;
  card::Bytes auth_ca_der;  // from the PKI directory, not from the card
  card::Bytes sign_ca_der;
  // The profile holds certificates the emulator re-issued (snapshot
  // "certificates" of the control executor) instead of the PKI directory's.
  bool reissued_certificates = false;
};

// What a transport mode puts behind a slot: the link the client talks over
// and the hands that reset, pull out and put back the card (in process for
// `direct`, the emulator's CardControl for `pcsc`).
class CardBackend {
 public:
  virtual ~CardBackend() = default;
  virtual client::CardTransport& transport() = 0;
  // Warm reset: the card loses its security state and selection.
  virtual void reset() = 0;
  // Pulls the card out; commands fail with CardRemovedError until insert().
  virtual void remove() = 0;
  // Puts the same card back (powered up again, PIN counters kept).
  virtual void insert() = 0;
};

// The stack is built bottom-up and members are declared in that order, so the
// references each layer keeps to the one below stay valid.
struct CardSlot {
  CardSlot(const LoadedPersona& loaded, std::unique_ptr<CardBackend> card_backend)
      : persona(loaded), backend(std::move(card_backend)) {}

  const LoadedPersona& persona;
  std::unique_ptr<CardBackend> backend;
  TimedTransport timed{backend->transport()};
  client::CardChannel channel{timed};
  client::JpkiCard jpki{channel};
  client::InputHelperCard helper{channel};
};

}  // namespace zairyu::conformance
