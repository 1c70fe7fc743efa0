// Exit codes of zairyu-client. Stable: scripts and the conformance harness
// rely on them; the --help footer and client/README.md list them.
#pragma once

namespace zairyu::cli {

enum class ExitCode : int {
  kOk = 0,
  kUsage = 1,           // bad arguments, no PIN source, unreadable/unwritable file
  kNoCard = 2,          // no pcscd, no reader, no card, card removed
  kCardError = 3,       // the card answered an error status word or garbage
  kWrongPin = 4,        // PIN wrong; the message gives the tries left
  kPinBlocked = 5,      // PIN blocked (before or by this attempt)
  kLastTryRefused = 6,  // one try left and --force-last-try not given
  kFormInvalid = 7,     // the application form failed local checks (nothing sent)
  kUnreachable = 8,     // the online system did not answer (UNAVAILABLE, deadline)
  kRefused = 9,         // the online system refused the call (reason and rule given)
  kInternal = 10,       // anything else (a bug, out of memory)
  kNotLoggedIn = 11,    // no session file, or the server ended the session
};

// The table printed as the --help footer.
inline constexpr const char* kExitCodeHelp =
    "Exit codes:\n"
    "  0  ok\n"
    "  1  usage error (bad arguments, no PIN source, unreadable file)\n"
    "  2  no pcscd, no reader or no card\n"
    "  3  card error (status word or malformed answer)\n"
    "  4  wrong PIN (tries left in the message)\n"
    "  5  PIN blocked\n"
    "  6  refused to spend the last PIN try (use --force-last-try)\n"
    "  7  the application form is invalid (nothing was sent)\n"
    "  8  the online system cannot be reached (or did not answer in time)\n"
    "  9  the online system refused (its reason and rule are in the message)\n"
    "  10 internal error\n"
    "  11 not logged in, or the session ended (run `zairyu-client login`)\n"
    "\n"
    "PINs come from a prompt without echo (when stdin is a terminal), from\n"
    "ZAIRYU_AUTH_PIN / ZAIRYU_SIGN_PIN / ZAIRYU_INPUT_HELPER_PIN (new PINs:\n"
    "ZAIRYU_NEW_AUTH_PIN / ZAIRYU_NEW_SIGN_PIN), or from --pin-file (first line);\n"
    "never from the command line. The online password comes from --password-file,\n"
    "ZAIRYU_PASSWORD (new: ZAIRYU_NEW_PASSWORD) or a prompt. `login` keeps the session\n"
    "in --session-file (default $XDG_RUNTIME_DIR/zairyu-client/session.json, mode 0600).";

}  // namespace zairyu::cli
