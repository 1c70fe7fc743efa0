// Child processes of the harness: the emulator and tools/pcscd-vpcd. Plain
// POSIX, no threads of their own.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace zairyu::conformance {

// fork + exec `args` with stdin from /dev/null, stdout and stderr on `out_fd`
// and the signal mask cleared (blocked signals survive exec). The child gets
// SIGTERM when the calling thread dies (even by SIGKILL): call it from the
// main thread. Throws std::runtime_error when fork fails; an exec failure
// shows as exit status 127.
pid_t spawn(const std::vector<std::string>& args, int out_fd);

// Waits for `pid`; its exit status, or 128 + the signal that ended it.
int wait_exit(pid_t pid);

// The whole file, "" when it cannot be read.
std::string read_text(const std::filesystem::path& path);

// A zairyu-emulator child serving gRPC on a port the OS chose (read from its
// --port-file). The constructor starts it without waiting, so several
// emulators (and other setup) come up at once; wait_until_listening() waits
// for it and throws std::runtime_error with the emulator's log when it does
// not come up. Stopped (SIGTERM, wait) by stop() or the destructor.
class EmulatorProcess {
 public:
  // `name` prefixes its files in `run_dir` (<name>.port, <name>.log);
  // `extra_args` follow --listen/--port-file/--personas/--pki.
  EmulatorProcess(const std::filesystem::path& binary, const std::filesystem::path& personas_dir,
                  const std::filesystem::path& pki_dir, const std::filesystem::path& run_dir,
                  const std::string& name, const std::vector<std::string>& extra_args);
  ~EmulatorProcess();
  EmulatorProcess(const EmulatorProcess&) = delete;
  EmulatorProcess& operator=(const EmulatorProcess&) = delete;

  // Returns once the emulator listens; idempotent.
  void wait_until_listening();
  // "127.0.0.1:PORT"; empty before wait_until_listening().
  const std::string& address() const { return address_; }
  // Idempotent; not thread-safe (callers that stop from a signal watcher lock).
  void stop();

 private:
  std::string binary_;
  std::filesystem::path port_file_;
  std::filesystem::path log_;
  pid_t pid_ = -1;
  std::string address_;
};

}  // namespace zairyu::conformance
