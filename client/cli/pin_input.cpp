#include "pin_input.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <termios.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string_view>

#include "cli_error.h"

namespace zairyu::cli {
namespace {

// Longer lines are refused rather than cut (no card PIN is this long).
constexpr std::size_t kMaxPinLength = 64;

const char* env_name(PinKind kind, bool replacement) {
  switch (kind) {
    case PinKind::kAuth:
      return replacement ? "ZAIRYU_NEW_AUTH_PIN" : "ZAIRYU_AUTH_PIN";
    case PinKind::kSign:
      return replacement ? "ZAIRYU_NEW_SIGN_PIN" : "ZAIRYU_SIGN_PIN";
    case PinKind::kInputHelper:
      return replacement ? "ZAIRYU_NEW_INPUT_HELPER_PIN" : "ZAIRYU_INPUT_HELPER_PIN";
    case PinKind::kPassword:
      return replacement ? "ZAIRYU_NEW_PASSWORD" : "ZAIRYU_PASSWORD";
    case PinKind::kResetCode:
      return "ZAIRYU_RESET_CODE";
  }
  return "";
}

const char* pin_rule(PinKind kind) {
  switch (kind) {
    case PinKind::kSign:
      return "6-16 letters and digits";
    case PinKind::kPassword:
      return "the online system's password";
    case PinKind::kResetCode:
      return "the code from the PASSWORD_RESET mail";
    default:
      return "4 digits";
  }
}

[[noreturn]] void usage_error(const std::string& message) {
  throw CliError(ExitCode::kUsage, "pin_source", message);
}

// A fixed buffer for one line of secret input, wiped when it goes away, so no
// reallocation can leave a copy of the PIN behind.
class LineBuffer {
 public:
  ~LineBuffer() { OPENSSL_cleanse(data_.data(), data_.size()); }
  // Appends a byte; false when the line is too long.
  bool push(char c) {
    if (size_ == kMaxPinLength) return false;
    data_[size_++] = c;
    return true;
  }
  client::SecretString take() {
    while (size_ > 0 && (data_[size_ - 1] == '\r' || data_[size_ - 1] == ' ')) --size_;
    return client::SecretString(std::string_view(data_.data(), size_));
  }

 private:
  std::array<char, kMaxPinLength> data_{};
  std::size_t size_ = 0;
};

// Reads one line from `fd` (without the newline). Returns false when the line
// is longer than kMaxPinLength; EOF ends the line.
bool read_line(int fd, LineBuffer& line, const std::string& source) {
  for (;;) {
    char c = 0;
    const ssize_t n = ::read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) usage_error("cannot read from " + source + ": " + std::strerror(errno));
    if (n == 0 || c == '\n') return true;
    if (!line.push(c)) return false;
  }
}

client::SecretString checked(client::SecretString pin, const std::string& label,
                             const std::string& source) {
  if (pin.empty()) usage_error("empty " + label + " from " + source);
  return pin;
}

client::SecretString from_file(const std::string& label, const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  // "auth PIN" -> "PIN file", "new password" -> "password file", "reset code file".
  const std::string noun = label.ends_with("PIN")      ? "PIN"
                           : label.starts_with("new ") ? label.substr(4)
                                                       : label;
  if (fd < 0) usage_error("cannot open " + noun + " file " + path + ": " + std::strerror(errno));
  const std::unique_ptr<const int, void (*)(const int*)> closer(&fd,
                                                                [](const int* f) { ::close(*f); });
  LineBuffer line;
  const std::string source = noun + " file " + path;
  const bool fits = read_line(fd, line, source);
  if (!fits) usage_error("the first line of " + source + " is too long");
  return checked(line.take(), label, source);
}

client::SecretString from_env(const std::string& label, const char* variable, const char* value) {
  if (std::strlen(value) > kMaxPinLength) usage_error(std::string(variable) + " is too long");
  return checked(client::SecretString(value), label, variable);
}

// The terminal settings to restore if a signal arrives while echo is off.
struct termios g_saved_termios;
volatile std::sig_atomic_t g_echo_off = 0;

void restore_terminal_and_reraise(int signal_number) {
  if (g_echo_off) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &g_saved_termios);
  std::signal(signal_number, SIG_DFL);
  std::raise(signal_number);
}

// Turns echo off on stdin for its lifetime; a signal (Ctrl-C) restores it
// before the process dies, so the user's terminal is never left silent.
class EchoOff {
 public:
  EchoOff() {
    if (::tcgetattr(STDIN_FILENO, &g_saved_termios) != 0) {
      usage_error(std::string("cannot read the terminal settings: ") + std::strerror(errno));
    }
    for (std::size_t i = 0; i < kSignals.size(); ++i) {
      previous_[i] = std::signal(kSignals[i], restore_terminal_and_reraise);
    }
    struct termios quiet = g_saved_termios;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO | ECHOE | ECHOK | ECHONL);
    g_echo_off = 1;
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  ~EchoOff() {
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &g_saved_termios);
    g_echo_off = 0;
    for (std::size_t i = 0; i < kSignals.size(); ++i) std::signal(kSignals[i], previous_[i]);
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;

 private:
  static constexpr std::array<int, 4> kSignals = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
  std::array<void (*)(int), 4> previous_{};
};

client::SecretString prompt(PinKind kind, const std::string& label) {
  const std::string text = label + " (" + pin_rule(kind) + "): ";
  (void)!::write(STDERR_FILENO, text.data(), text.size());
  LineBuffer line;
  bool fits = false;
  {
    EchoOff echo_off;
    fits = read_line(STDIN_FILENO, line, "the terminal");
  }
  (void)!::write(STDERR_FILENO, "\n", 1);
  if (!fits) usage_error("the " + label + " typed is too long");
  return checked(line.take(), label, "the terminal");
}

client::SecretString obtain(PinKind kind, const std::string& file, bool replacement) {
  const bool password = kind == PinKind::kPassword;
  const bool is_pin = !password && kind != PinKind::kResetCode;
  const std::string label =
      std::string(replacement ? "new " : "") + pin_name(kind) + (is_pin ? " PIN" : "");
  if (!file.empty()) return from_file(label, file);
  const char* variable = env_name(kind, replacement);
  if (const char* value = std::getenv(variable)) return from_env(label, variable, value);
  if (!::isatty(STDIN_FILENO)) {
    usage_error(std::string("no ") + label + ": set " + variable + ", give " +
                (kind == PinKind::kResetCode ? "--reset-code-file"
                 : password ? (replacement ? "--new-password-file" : "--password-file")
                            : (replacement ? "--new-pin-file" : "--pin-file")) +
                ", or run on a terminal");
  }
  client::SecretString pin = prompt(kind, label);
  if (replacement) {
    const client::SecretString again = prompt(kind, "repeat the " + label);
    if (again.reveal() != pin.reveal()) usage_error("the two new " + label + "s typed differ");
  }
  return pin;
}

}  // namespace

const char* pin_name(PinKind kind) {
  switch (kind) {
    case PinKind::kAuth:
      return "auth";
    case PinKind::kSign:
      return "sign";
    case PinKind::kInputHelper:
      return "input-helper";
    case PinKind::kPassword:
      return "password";
    case PinKind::kResetCode:
      return "reset code";
  }
  return "";
}

client::SecretString read_pin(PinKind kind, const std::string& pin_file) {
  return obtain(kind, pin_file, false);
}

client::SecretString read_new_pin(PinKind kind, const std::string& new_pin_file) {
  return obtain(kind, new_pin_file, true);
}

client::SecretString read_password(const std::string& password_file) {
  return obtain(PinKind::kPassword, password_file, false);
}

client::SecretString read_new_password(const std::string& new_password_file) {
  return obtain(PinKind::kPassword, new_password_file, true);
}

client::SecretString read_reset_code(const std::string& reset_code_file) {
  return obtain(PinKind::kResetCode, reset_code_file, false);
}

}  // namespace zairyu::cli
