// RunContext: what one scenario run has seen so far. Executors append APDU and
// RPC trace events and publish snapshots (outbox, audit log) as JSON; checks
// read them. One context per scenario run, used by one thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace zairyu::conformance {

// One trace entry. `type` is "apdu", "rpc" or "note".
struct TraceEvent {
  std::int64_t t_us = 0;  // since the run started
  std::size_t step = 0;   // 1-based; 0 while the `given` is being put in place
  std::string type;
  nlohmann::json data;
};

// An APDU exchange as the card saw it (PIN bytes already masked by the client).
struct ApduRecord {
  std::vector<std::uint8_t> command;
  std::uint16_t sw = 0;  // 0 when the transport failed
};

class RunContext {
 public:
  explicit RunContext(std::uint64_t seed);

  std::uint64_t seed() const { return seed_; }
  std::size_t step() const { return step_; }
  void set_step(std::size_t step) { step_ = step; }

  // `response` includes SW1 SW2; empty when the transport raised an error.
  // `started_us` (elapsed_us() when the exchange began, -1 if unknown) goes
  // into the event as `start_us`: the event's t_us is when it ended, so
  // reports can sum card and RPC time (tools/bench/conformance_speed).
  void add_apdu(const std::vector<std::uint8_t>& command, const std::vector<std::uint8_t>& response,
                bool masked, std::int64_t started_us = -1);
  // An RPC to the emulator or the system under test: name, status and payloads.
  void add_rpc(const std::string& method, const std::string& status, nlohmann::json request,
               nlohmann::json response, std::int64_t started_us = -1);
  void add_note(const std::string& text);

  // Snapshots replace the previous one of the same name ("outbox", "audit").
  void set_snapshot(const std::string& name, nlohmann::json value);
  // Runs a pending refresh first (see refresh_snapshots_on_read).
  const nlohmann::json* snapshot(const std::string& name) const;
  // Publishing some snapshots costs round trips (ControlExecutor::observe
  // asks the emulator for its outbox and audit log), and most steps' are
  // never read: the runner passes the refresh here after each step, and the
  // first snapshot() read (a check, an executor, the end of the run) runs
  // it. A read sees the same state as an eager refresh would: nothing runs
  // between the step and the read but reads. Replaces a pending refresh.
  void refresh_snapshots_on_read(std::function<void()> refresh);
  // Runs the pending refresh now, if any.
  void refresh_snapshots() const;
  const std::map<std::string, nlohmann::json>& snapshots() const { return snapshots_; }

  const std::vector<TraceEvent>& trace() const { return trace_; }
  const std::vector<ApduRecord>& apdus() const { return apdus_; }
  // Microseconds since the context was made.
  std::int64_t elapsed_us() const;

 private:
  void push(std::string type, nlohmann::json data);

  std::uint64_t seed_;
  std::chrono::steady_clock::time_point start_;
  std::size_t step_ = 0;
  std::vector<TraceEvent> trace_;
  std::vector<ApduRecord> apdus_;
  std::map<std::string, nlohmann::json> snapshots_;
  // Mutable: a read of a stale snapshot refreshes it (a cache, logically const).
  mutable std::function<void()> pending_refresh_;
};

// "00 A4 04 0C" style hex of bytes.
std::string hex_bytes(const std::vector<std::uint8_t>& bytes);

}  // namespace zairyu::conformance
