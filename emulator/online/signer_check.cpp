#include "emulator/online/signer_check.h"

#include "emulator/online/rule_catalog.h"

namespace zairyu::online {

Check CheckSigner(std::string_view login_holder, std::string_view signature_holder) {
  if (login_holder == signature_holder) return std::nullopt;
  return Reject("RAS-CERT-007", "SIGNER_MISMATCH", ErrorCategory::kPermissionDenied,
                "the signature certificate is not of the card that logged in");
}

}  // namespace zairyu::online
