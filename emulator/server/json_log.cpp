#include "emulator/server/json_log.h"

#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>

#include <fmt/chrono.h>
#include <fmt/format.h>

namespace zairyu::server {

void log_json(std::string_view level, std::string_view event, nlohmann::json fields) {
  static std::mutex mutex;
  const auto now = std::chrono::system_clock::now();
  const auto seconds = std::chrono::time_point_cast<std::chrono::seconds>(now);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now - seconds).count();
  // ordered_json keeps time, level and event first, as people read them.
  nlohmann::ordered_json line = {{"time", fmt::format("{:%FT%T}.{:03}Z", seconds, millis)},
                                 {"level", level},
                                 {"event", event}};
  if (fields.is_object()) {
    for (const auto& [key, value] : fields.items()) line[key] = value;
  }
  // Invalid UTF-8 (e.g. a bad persona id echoed back) is replaced, never thrown.
  const std::string text =
      line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  const std::lock_guard lock(mutex);
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

}  // namespace zairyu::server
