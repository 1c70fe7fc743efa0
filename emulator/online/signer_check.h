// RAS-CERT-007: whose signature a submission carries. A submission is signed
// with the signature key of the card that logged in: a relative or a legal
// representative files FOR someone, so the signer is always the filer, never
// the applicant. The real check is not documented (emulator choice, README).
#pragma once

#include <string_view>

#include "emulator/online/rejection.h"

namespace zairyu::online {

// `login_holder` and `signature_holder` name the card holder each certificate
// belongs to ("" when nothing links the certificate to a holder). Equal
// holders pass, including two unknown ones, where nothing can be compared;
// otherwise SIGNER_MISMATCH (permission denied).
Check CheckSigner(std::string_view login_holder, std::string_view signature_holder);

}  // namespace zairyu::online
