#include "emulator/online/procedure.h"

namespace zairyu::online {

std::string_view ProcedureName(Procedure p) {
  switch (p) {
    case Procedure::kCertificateOfEligibility:
      return "CERTIFICATE_OF_ELIGIBILITY";
    case Procedure::kChangeOfStatus:
      return "CHANGE_OF_STATUS";
    case Procedure::kExtensionOfStay:
      return "EXTENSION_OF_STAY";
    case Procedure::kAcquisitionOfStatus:
      return "ACQUISITION_OF_STATUS";
    case Procedure::kEmploymentCertificate:
      return "EMPLOYMENT_CERTIFICATE";
    case Procedure::kReentryPermit:
      return "REENTRY_PERMIT";
    case Procedure::kOtherActivityPermission:
      return "OTHER_ACTIVITY_PERMISSION";
  }
  return "UNKNOWN";
}

}  // namespace zairyu::online
