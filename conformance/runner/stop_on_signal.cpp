#include "conformance/runner/stop_on_signal.h"

#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>

namespace zairyu::conformance {
namespace {

// The signals that stop the run; SIGUSR2 only wakes the watcher up to end it.
sigset_t watched_signals() {
  sigset_t set;
  sigemptyset(&set);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGUSR2}) sigaddset(&set, sig);
  return set;
}

}  // namespace

StopOnSignal::Registration::~Registration() {
  const std::lock_guard lock(owner_->mu_);
  owner_->cleanups_.erase(it_);
}

StopOnSignal::StopOnSignal() {
  const sigset_t set = watched_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  watcher_ = std::thread([this] { watch(); });
}

StopOnSignal::~StopOnSignal() {
  pthread_kill(watcher_.native_handle(), SIGUSR2);
  watcher_.join();
  const sigset_t set = watched_signals();
  pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
}

StopOnSignal::Registration StopOnSignal::on_stop(std::function<void()> cleanup) {
  const std::lock_guard lock(mu_);
  cleanups_.push_back(std::move(cleanup));
  return Registration(*this, std::prev(cleanups_.end()));
}

void StopOnSignal::watch() {
  const sigset_t set = watched_signals();
  int sig = 0;
  sigwait(&set, &sig);
  if (sig == SIGUSR2) return;
  std::fprintf(stderr, "zairyu-conformance: signal %d: stopping the emulators and pcscd\n", sig);
  {
    const std::lock_guard lock(mu_);
    for (auto it = cleanups_.rbegin(); it != cleanups_.rend(); ++it) (*it)();
  }
  std::_Exit(128 + sig);
}

}  // namespace zairyu::conformance
