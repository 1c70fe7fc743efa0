// Where the CLI gets PINs and passwords: a file (--pin-file, first line), an environment
// variable, or a prompt without echo when stdin is a terminal. Never argv:
// the command line of a process is visible to every user through ps.
#pragma once

#include <string>

#include "zairyu/client/secret_string.h"

namespace zairyu::cli {

// The three PINs the CLI can present, and the online system's password
// (read the same way: ZAIRYU_PASSWORD / ZAIRYU_NEW_PASSWORD, --password-file).
// The reset code of `password complete-reset` likewise (ZAIRYU_RESET_CODE,
// --reset-code-file).
enum class PinKind { kAuth, kSign, kInputHelper, kPassword, kResetCode };

// "auth", "sign", "input-helper", "password", "reset code".
const char* pin_name(PinKind kind);

// The current PIN: from `pin_file` when not empty, else the variable
// ZAIRYU_<KIND>_PIN, else a prompt. Throws CliError(kUsage) when there is no
// source or the source is unusable; messages never contain the PIN.
client::SecretString read_pin(PinKind kind, const std::string& pin_file);

// A new PIN for change-pin: from `new_pin_file`, else ZAIRYU_NEW_<KIND>_PIN,
// else a prompt asked twice (the two must match).
client::SecretString read_new_pin(PinKind kind, const std::string& new_pin_file);

// The online password (PinKind::kPassword) from `password_file`, else
// ZAIRYU_PASSWORD, else a prompt; a new one from ZAIRYU_NEW_PASSWORD or a
// prompt asked twice.
client::SecretString read_password(const std::string& password_file);
client::SecretString read_new_password(const std::string& new_password_file);
client::SecretString read_reset_code(const std::string& reset_code_file);

}  // namespace zairyu::cli
