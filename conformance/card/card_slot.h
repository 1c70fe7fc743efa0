// A virtual card in a reader slot, with the client library stacked on it.
#pragma once

#include <memory>

#include "emulator/card/card.h"
#include "emulator/card/card_profile.h"
#include "emulator/persona/persona.h"
#include "inprocess_transport.h"
#include "zairyu/client/card_channel.h"
#include "zairyu/client/input_helper_card.h"
#include "zairyu/client/jpki_card.h"

namespace zairyu::conformance {

// A persona with its card profile and the CA certificates that issued it.
struct LoadedPersona {
  persona::Persona persona;
  card::CardProfile profile;
  card::Bytes auth_ca_der;  // from the PKI directory, not from the card
  card::Bytes sign_ca_der;
};

// The stack is built bottom-up and members are declared in that order, so the
// references each layer keeps to the one below stay valid.
struct CardSlot {
  CardSlot(const LoadedPersona& loaded, std::shared_ptr<card::Card> virtual_card)
      : persona(loaded), card(std::move(virtual_card)), transport(card) {}

  const LoadedPersona& persona;
  std::shared_ptr<card::Card> card;
  inprocess::InProcessTransport transport;
  client::CardChannel channel{transport};
  client::JpkiCard jpki{channel};
  client::InputHelperCard helper{channel};
};

}  // namespace zairyu::conformance
