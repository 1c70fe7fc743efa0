#include "session_file.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli_error.h"

namespace zairyu::cli {
namespace {

constexpr std::size_t kMaxSessionFile = 64 * 1024;

[[noreturn]] void fail(const std::string& message) {
  throw CliError(ExitCode::kUsage, "session_file", message);
}

std::string errno_text() { return std::strerror(errno); }

// Closes a descriptor on every path out.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// A string wiped when it goes away (the file's text holds the token).
struct WipedString {
  std::string text;
  ~WipedString() { OPENSSL_cleanse(text.data(), text.size()); }
};

}  // namespace

std::string default_session_file() {
  const char* runtime = std::getenv("XDG_RUNTIME_DIR");
  if (runtime && *runtime) return std::string(runtime) + "/zairyu-client/session.json";
  const char* home = std::getenv("HOME");
  if (!home || !*home) fail("neither XDG_RUNTIME_DIR nor HOME is set: give --session-file");
  return std::string(home) + "/.cache/zairyu-client/session.json";
}

void save_session(const std::string& path, const SavedSession& saved) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    fs::create_directories(dir, ec);
    if (ec) fail("cannot create the session directory " + dir.string() + ": " + ec.message());
    fs::permissions(dir, fs::perms::owner_all, ec);
  }
  WipedString text{nlohmann::json{{"server", saved.server},
                                  {"user_id", saved.session.user_id},
                                  {"category", client::to_string(saved.session.category)},
                                  {"password_valid_until", saved.session.password_valid_until},
                                  {"token", std::string(saved.token.reveal())}}
                       .dump(2) +
                   "\n"};
  const std::string temporary = path + ".tmp";
  ::unlink(temporary.c_str());
  {
    const Fd fd(
        ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (fd.get() < 0) fail("cannot write the session file " + temporary + ": " + errno_text());
    const ssize_t n = ::write(fd.get(), text.text.data(), text.text.size());
    if (n != static_cast<ssize_t>(text.text.size()) || ::fsync(fd.get()) != 0) {
      const std::string why = errno_text();
      ::unlink(temporary.c_str());
      fail("cannot write the session file " + temporary + ": " + why);
    }
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const std::string why = errno_text();
    ::unlink(temporary.c_str());
    fail("cannot replace the session file " + path + ": " + why);
  }
}

std::optional<SavedSession> load_session(const std::string& path) {
  const Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (fd.get() < 0) {
    if (errno == ENOENT) return std::nullopt;
    fail("cannot open the session file " + path + ": " + errno_text());
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) fail("cannot stat the session file " + path);
  if (!S_ISREG(st.st_mode)) fail("the session file " + path + " is not a regular file");
  if (st.st_uid != ::geteuid()) fail("the session file " + path + " belongs to another user");
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    fail("the session file " + path +
         " is accessible to other users (chmod 600 it, or log in "
         "again)");
  }
  if (static_cast<std::size_t>(st.st_size) > kMaxSessionFile) {
    fail("the session file " + path + " is too large");
  }
  WipedString text;
  text.text.resize(static_cast<std::size_t>(st.st_size));
  if (::read(fd.get(), text.text.data(), text.text.size()) != st.st_size) {
    fail("cannot read the session file " + path);
  }
  try {
    const auto json = nlohmann::json::parse(text.text);
    SavedSession saved;
    saved.server = json.at("server").get<std::string>();
    saved.session.user_id = json.at("user_id").get<std::string>();
    saved.session.category = client::parse_user_category(json.at("category").get<std::string>());
    saved.session.password_valid_until = json.at("password_valid_until").get<std::string>();
    std::string token = json.at("token").get<std::string>();
    saved.token = client::SecretString(token);
    OPENSSL_cleanse(token.data(), token.size());
    if (saved.token.empty()) fail("the session file " + path + " holds no token");
    return saved;
  } catch (const CliError&) {
    throw;
  } catch (const std::exception&) {
    fail("the session file " + path + " is malformed (log in again)");
  }
}

bool remove_session(const std::string& path) {
  if (::unlink(path.c_str()) == 0) return true;
  if (errno == ENOENT) return false;
  fail("cannot remove the session file " + path + ": " + errno_text());
}

}  // namespace zairyu::cli
