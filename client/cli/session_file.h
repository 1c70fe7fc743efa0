// The session file: how `zairyu-client login` hands its session to later
// invocations (`apply`, `status`, ...), each a process of its own. One JSON
// object {server, user_id, category, password_valid_until, token}, mode 0600
// in a 0700 directory. The token is a bearer secret: the file is refused
// when someone else could read or replace it.
#pragma once

#include <optional>
#include <string>

#include "zairyu/client/online_client.h"

namespace zairyu::cli {

struct SavedSession {
  std::string server;  // HOST:PORT it was made with
  client::Session session;
  client::SecretString token;
};

// $XDG_RUNTIME_DIR/zairyu-client/session.json, else
// $HOME/.cache/zairyu-client/session.json.
std::string default_session_file();

// Writes atomically (a temporary file in the same directory, renamed),
// creating the directory (0700) when missing. Throws CliError(kUsage).
void save_session(const std::string& path, const SavedSession& saved);

// Nothing when the file does not exist. Throws CliError(kUsage) for a file
// that is unreadable, malformed, not owned by this user or readable by others.
std::optional<SavedSession> load_session(const std::string& path);

// Removes the file; true when there was one.
bool remove_session(const std::string& path);

}  // namespace zairyu::cli
