#include "emulator/server/persona_cards.h"

#include <algorithm>
#include <exception>
#include <utility>

#include "emulator/persona/card_profile_builder.h"
#include "emulator/persona/pki_directory.h"
#include "emulator/server/control_error.h"

namespace zairyu::server {
namespace {

// Persona ids become file names; this keeps them inside the directories.
bool is_plain_id(const std::string& id) {
  return !id.empty() && id.size() <= 128 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
}

}  // namespace

PersonaCards::PersonaCards(std::filesystem::path personas_dir, std::filesystem::path pki_dir)
    : personas_dir_(std::move(personas_dir)), pki_dir_(std::move(pki_dir)) {}

PersonaCard PersonaCards::load(const std::string& persona_id) const {
  if (!is_plain_id(persona_id)) {
    throw invalid_field("PERSONA_ID_INVALID", "persona_id",
                        "must be 1-128 characters of A-Z a-z 0-9 - _");
  }
  const auto file = personas_dir_ / (persona_id + ".yaml");
  if (!std::filesystem::is_regular_file(file)) {
    throw ControlError(ControlError::Kind::kNotFound, "PERSONA_NOT_FOUND",
                       "no persona '" + persona_id + "' in " + personas_dir_.string(),
                       {{"persona_id", persona_id}});
  }
  try {
    const persona::Persona p = persona::load_persona_file(file);
    return PersonaCard{persona::make_card_profile(p, persona::PkiDirectory(pki_dir_)),
                       p.card.pin_tries_left};
  } catch (const std::exception& e) {
    throw ControlError(ControlError::Kind::kFailedPrecondition, "PERSONA_INVALID",
                       "persona '" + persona_id + "' does not load: " + e.what(),
                       {{"persona_id", persona_id}});
  }
}

}  // namespace zairyu::server
