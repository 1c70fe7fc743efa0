// PersonaCards: turns a persona id into the card that persona carries, from
// the persona directory (YAML) and the generated test PKI.
#pragma once

#include <filesystem>
#include <string>

#include "emulator/card/card_profile.h"
#include "emulator/persona/persona.h"

namespace zairyu::server {

// A persona's card as issued: its personalization and the starting retry
// counters of a fresh card state.
struct PersonaCard {
  card::CardProfile profile;
  persona::PinTriesLeft initial_tries;
};

// Reads persona files on every load, so edits show up at the next insertion.
// Stateless, thread-safe.
class PersonaCards {
 public:
  PersonaCards(std::filesystem::path personas_dir, std::filesystem::path pki_dir);

  // Throws ControlError: PERSONA_ID_INVALID (not a plain [A-Za-z0-9_-] name),
  // PERSONA_NOT_FOUND (no <id>.yaml), PERSONA_INVALID (the file or its PKI
  // material does not load).
  PersonaCard load(const std::string& persona_id) const;

 private:
  std::filesystem::path personas_dir_;
  std::filesystem::path pki_dir_;
};

}  // namespace zairyu::server
