// StopOnSignal: what zairyu-conformance does on SIGINT, SIGTERM or SIGHUP: it
// runs the registered cleanups, newest first (stop the emulators and pcscd,
// remove temporary run directories), then ends the process with 128 + the
// signal, so a ^C leaves nothing behind. The constructor blocks the signals
// and starts a watcher thread that waits for them: make it before any other
// thread (threads inherit the blocked mask); child processes get the default
// mask back (child_process.cpp). One per process.
#pragma once

#include <functional>
#include <list>
#include <mutex>
#include <thread>

namespace zairyu::conformance {

class StopOnSignal {
 public:
  // Unregisters its cleanup when destroyed.
  class Registration {
   public:
    Registration(StopOnSignal& owner, std::list<std::function<void()>>::iterator it)
        : owner_(&owner), it_(it) {}
    ~Registration();
    Registration(const Registration&) = delete;
    Registration& operator=(const Registration&) = delete;

   private:
    StopOnSignal* owner_;
    std::list<std::function<void()>>::iterator it_;
  };

  StopOnSignal();
  // Stops the watcher and unblocks the signals; runs no cleanup.
  ~StopOnSignal();
  StopOnSignal(const StopOnSignal&) = delete;
  StopOnSignal& operator=(const StopOnSignal&) = delete;

  // `cleanup` runs on a signal (on the watcher thread) while the returned
  // registration lives. It must be thread-safe against the normal shutdown.
  [[nodiscard]] Registration on_stop(std::function<void()> cleanup);

 private:
  void watch();

  std::mutex mu_;
  std::list<std::function<void()>> cleanups_;  // registration order
  std::thread watcher_;
};

}  // namespace zairyu::conformance
