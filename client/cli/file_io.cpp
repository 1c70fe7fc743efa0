#include "file_io.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "cli_error.h"

namespace zairyu::cli {
namespace {

[[noreturn]] void file_error(const char* verb, const std::string& path) {
  throw CliError(ExitCode::kUsage, "file",
                 std::string("cannot ") + verb + " " + path + ": " + std::strerror(errno),
                 {{"file", path}});
}

}  // namespace

client::Bytes read_file(const std::string& path) {
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) file_error("read", path);
  client::Bytes out((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) file_error("read", path);
  return out;
}

void write_file(const std::string& path, std::string_view content) {
  errno = 0;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) file_error("write", path);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) file_error("write", path);
}

void write_file(const std::string& path, client::ByteView content) {
  write_file(path, std::string_view(reinterpret_cast<const char*>(content.data()), content.size()));
}

}  // namespace zairyu::cli
