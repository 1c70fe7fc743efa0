// Structured logging for the emulator: one JSON object per line on stderr, so
// a harness can parse the log and a person can grep it.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace zairyu::server {

// Writes {"time": <RFC 3339 UTC>, "level": level, "event": event, ...fields}
// as one line on stderr. Thread-safe: lines never interleave.
void log_json(std::string_view level, std::string_view event, nlohmann::json fields = {});

}  // namespace zairyu::server
