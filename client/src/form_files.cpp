// The only I/O of zairyu_client_form: reading a form file and its attachments,
// each with one open, fstat and read (no stream buffers, no second look-up of
// the path).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>

#include "zairyu/client/application_form.h"

namespace zairyu::client {
namespace {

// A file larger than this can never be submitted (RAS-ATT-002's 25 MiB).
constexpr std::uintmax_t kMaxAttachment = 25 * 1024 * 1024;
constexpr std::uintmax_t kMaxForm = 1024 * 1024;

[[noreturn]] void fail(const std::string& field, const std::string& description) {
  throw FormError(field + ": " + description, {{field, description}});
}

// How reading a whole file ended; `error` is set for kNotRegular (when the
// file could not be opened) and kFailed.
struct FileRead {
  enum class Outcome { kOk, kNotRegular, kTooLarge, kFailed } outcome;
  std::error_code error;
};

std::error_code last_error() { return {errno, std::generic_category()}; }

// Reads all of the open file `fd` (at most `max` bytes) into `out`.
template <typename Buffer>
FileRead read_open_file(int fd, std::uintmax_t max, Buffer& out) {
  using Outcome = FileRead::Outcome;
  struct stat st {};
  if (::fstat(fd, &st) != 0) return {Outcome::kFailed, last_error()};
  if (!S_ISREG(st.st_mode)) return {Outcome::kNotRegular, {}};
  const auto size = static_cast<std::uintmax_t>(st.st_size);
  if (size > max) return {Outcome::kTooLarge, {}};
  out.resize(size);
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = ::read(fd, out.data() + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return {Outcome::kFailed, last_error()};
    if (n == 0) break;  // the file shrank meanwhile
    done += static_cast<std::size_t>(n);
  }
  out.resize(done);
  return {Outcome::kOk, {}};
}

// Reads the regular file `path` of at most `max` bytes into `out` (a
// std::string or Bytes). O_NONBLOCK so that opening a FIFO cannot hang; it
// is refused as not regular right after.
template <typename Buffer>
FileRead read_regular_file(const std::string& path, std::uintmax_t max, Buffer& out) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return {FileRead::Outcome::kNotRegular, last_error()};
  try {
    const FileRead result = read_open_file(fd, max, out);
    ::close(fd);
    return result;
  } catch (...) {  // std::bad_alloc from the buffer
    ::close(fd);
    throw;
  }
}

// "dir/" + path, unless path is absolute or dir is empty.
std::string resolve(const std::string& base_dir, const std::string& path) {
  if (path.starts_with('/') || base_dir.empty()) return path;
  return base_dir.ends_with('/') ? base_dir + path : base_dir + "/" + path;
}

}  // namespace

void load_attachments(ApplicationForm& form, const std::string& base_dir) {
  using Outcome = FileRead::Outcome;
  for (std::size_t i = 0; i < form.attachments.size(); ++i) {
    AttachmentFile& file = form.attachments[i];
    const std::string field = "attachments[" + std::to_string(i) + "].path";
    if (file.path.empty()) fail(field, "is required");
    const std::string path = resolve(base_dir, file.path);
    const FileRead result = read_regular_file(path, kMaxAttachment, file.content);
    switch (result.outcome) {
      case Outcome::kOk:
        break;
      case Outcome::kNotRegular:
        fail(field, "\"" + path + "\" is not a readable file" +
                        (result.error ? " (" + result.error.message() + ")" : ""));
      case Outcome::kTooLarge:
        fail(field, "\"" + path + "\" is larger than the 25 MiB allowed in total (RAS-ATT-002)");
      case Outcome::kFailed:
        fail(field, "cannot read \"" + path + "\": " + result.error.message());
    }
  }
}

ApplicationForm load_form_file(const std::string& path) {
  using Outcome = FileRead::Outcome;
  std::string text;
  const FileRead result = read_regular_file(path, kMaxForm, text);
  switch (result.outcome) {
    case Outcome::kOk:
      break;
    case Outcome::kNotRegular:
      fail("(file)", "cannot read the form \"" + path +
                         "\": " + (result.error ? result.error.message() : "not a regular file"));
    case Outcome::kTooLarge:
      fail("(file)", "the form \"" + path + "\" is larger than 1 MiB");
    case Outcome::kFailed:
      fail("(file)", "cannot read the form \"" + path + "\": " + result.error.message());
  }
  const auto slash = path.find_last_of('/');
  const auto name = slash == std::string::npos ? std::string_view(path)
                                               : std::string_view(path).substr(slash + 1);
  const auto format = name.ends_with(".json") ? FormFormat::kJson : FormFormat::kYaml;
  ApplicationForm form = parse_form(text, format);
  // The form's directory ("/" for "/form.yaml"; none for "form.yaml").
  load_attachments(form, slash == std::string::npos
                             ? std::string()
                             : path.substr(0, std::max<std::size_t>(slash, 1)));
  return form;
}

}  // namespace zairyu::client
