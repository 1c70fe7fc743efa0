#include "emulator/card/card_state_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>

#include "emulator/card/bytes.h"

namespace zairyu::card {

// ---- MemoryCardStateStore ----

std::optional<PinRecord> MemoryCardStateStore::load(PinId pin) const {
  const auto it = records_.find(pin);
  if (it == records_.end()) return std::nullopt;
  return it->second;
}

void MemoryCardStateStore::save(PinId pin, const PinRecord& record) { records_[pin] = record; }

void MemoryCardStateStore::clear() { records_.clear(); }

// ---- FileCardStateStore ----
//
// File format (text, one record per line, all lines required):
//   zairyu-card-state 1
//   <pin> <tries_left> <changed value as hex, or ->
//   end
// <pin> is jpki_auth, jpki_sign or input_helper. A missing file means "as issued".
// Anything else (unknown header, bad line, missing "end" trailer) is corrupt and
// the constructor throws: silently treating a corrupt file as "as issued" would
// unblock a blocked card.

namespace {

constexpr const char* kHeader = "zairyu-card-state 1";
constexpr const char* kTrailer = "end";

const char* pin_name(PinId pin) {
  switch (pin) {
    case PinId::kJpkiAuth:
      return "jpki_auth";
    case PinId::kJpkiSign:
      return "jpki_sign";
    case PinId::kInputHelper:
      return "input_helper";
  }
  return "?";
}

std::optional<PinId> pin_from_name(const std::string& name) {
  for (PinId pin : {PinId::kJpkiAuth, PinId::kJpkiSign, PinId::kInputHelper}) {
    if (name == pin_name(pin)) return pin;
  }
  return std::nullopt;
}

[[noreturn]] void corrupt(const std::string& path, int line, const std::string& what) {
  throw std::runtime_error("corrupt card state file " + path + " (line " + std::to_string(line) +
                           "): " + what +
                           "; refusing to treat it as an issued card. Delete the file to "
                           "re-issue the card.");
}

std::map<PinId, PinRecord> read_state_file(const std::string& path) {
  std::map<PinId, PinRecord> records;
  std::ifstream in(path);
  if (!in) {
    if (errno == ENOENT) return records;
    throw std::system_error(errno, std::generic_category(), "cannot open card state " + path);
  }
  std::string line;
  int line_no = 1;
  if (!std::getline(in, line) || line != kHeader) corrupt(path, line_no, "bad header");
  bool ended = false;
  while (std::getline(in, line)) {
    ++line_no;
    if (ended) corrupt(path, line_no, "data after the trailer");
    if (line == kTrailer) {
      ended = true;
      continue;
    }
    std::istringstream fields(line);
    std::string name, tries, value, extra;
    if (!(fields >> name >> tries >> value) || (fields >> extra)) {
      corrupt(path, line_no, "expected <pin> <tries> <value>");
    }
    const auto pin = pin_from_name(name);
    if (!pin) corrupt(path, line_no, "unknown PIN " + name);
    if (records.count(*pin) != 0) corrupt(path, line_no, "duplicate PIN " + name);
    if (tries.empty() || tries.size() > 2 ||
        tries.find_first_not_of("0123456789") != std::string::npos) {
      corrupt(path, line_no, "bad retry counter");
    }
    PinRecord record;
    record.tries_left = std::stoi(tries);
    if (value != "-") {
      try {
        const Bytes raw = from_hex(value);
        record.changed_value = std::string(raw.begin(), raw.end());
      } catch (const std::invalid_argument&) {
        corrupt(path, line_no, "bad PIN value");
      }
    }
    records[*pin] = record;
  }
  if (!ended) corrupt(path, line_no, "missing trailer (truncated file)");
  return records;
}

void throw_errno(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

// Writes `text` to `path` atomically and durably: temp file, fsync, rename,
// fsync of the directory.
void write_file_atomically(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw_errno("cannot create " + tmp);
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t w = ::write(fd, text.data() + done, text.size() - done);
    if (w < 0) {
      if (errno == EINTR) continue;
      const int saved = errno;
      ::close(fd);
      errno = saved;
      throw_errno("cannot write " + tmp);
    }
    done += static_cast<std::size_t>(w);
  }
  if (::fsync(fd) != 0) {
    const int saved = errno;
    ::close(fd);
    errno = saved;
    throw_errno("cannot fsync " + tmp);
  }
  if (::close(fd) != 0) throw_errno("cannot close " + tmp);
  if (::rename(tmp.c_str(), path.c_str()) != 0) throw_errno("cannot rename " + tmp);
  const auto slash = path.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash + 1);
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

}  // namespace

FileCardStateStore::FileCardStateStore(std::string path)
    : path_(std::move(path)), records_(read_state_file(path_)) {}

std::optional<PinRecord> FileCardStateStore::load(PinId pin) const {
  const auto it = records_.find(pin);
  if (it == records_.end()) return std::nullopt;
  return it->second;
}

void FileCardStateStore::save(PinId pin, const PinRecord& record) {
  auto next = records_;
  next[pin] = record;
  std::string text = std::string(kHeader) + "\n";
  for (const auto& [id, rec] : next) {
    text += pin_name(id);
    text += ' ';
    text += std::to_string(rec.tries_left);
    text += ' ';
    if (rec.changed_value) {
      const std::string& v = *rec.changed_value;
      const Bytes raw(v.begin(), v.end());
      std::string hex = to_hex(raw);
      std::erase(hex, ' ');
      text += hex.empty() ? "-" : hex;
    } else {
      text += '-';
    }
    text += '\n';
  }
  text += std::string(kTrailer) + "\n";
  write_file_atomically(path_, text);
  records_ = std::move(next);
}

void FileCardStateStore::clear() {
  if (::unlink(path_.c_str()) != 0 && errno != ENOENT) throw_errno("cannot remove " + path_);
  records_.clear();
}

}  // namespace zairyu::card
