#include "emulator/online/application_record.h"

namespace zairyu::online {

std::string_view StateName(ApplicationState s) {
  switch (s) {
    case ApplicationState::kProvisional:
      return "PROVISIONAL";
    case ApplicationState::kReceived:
      return "RECEIVED";
    case ApplicationState::kMaterialRequested:
      return "MATERIAL_REQUESTED";
    case ApplicationState::kApproved:
      return "APPROVED";
    case ApplicationState::kRefused:
      return "REFUSED";
    case ApplicationState::kCompleted:
      return "COMPLETED";
  }
  return "UNKNOWN";
}

}  // namespace zairyu::online
