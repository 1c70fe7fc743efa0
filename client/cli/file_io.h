// Whole-file reads and writes for the CLI's --input, -o and friends. Failures
// are CliError(kUsage) naming the file: the path came from the user.
#pragma once

#include <string>
#include <string_view>

#include "zairyu/client/bytes.h"

namespace zairyu::cli {

client::Bytes read_file(const std::string& path);
// Creates or truncates `path` (mode 0644 before umask).
void write_file(const std::string& path, std::string_view content);
void write_file(const std::string& path, client::ByteView content);

}  // namespace zairyu::cli
