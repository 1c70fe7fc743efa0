#include "conformance/runner/run_context.h"

#include <utility>

namespace zairyu::conformance {

std::string hex_bytes(const std::vector<std::uint8_t>& bytes) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i != 0) out += ' ';
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 0x0F];
  }
  return out;
}

RunContext::RunContext(std::uint64_t seed)
    : seed_(seed), start_(std::chrono::steady_clock::now()) {}

std::int64_t RunContext::elapsed_us() const {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                               start_)
      .count();
}

void RunContext::push(std::string type, nlohmann::json data) {
  trace_.push_back(TraceEvent{elapsed_us(), step_, std::move(type), std::move(data)});
}

void RunContext::add_apdu(const std::vector<std::uint8_t>& command,
                          const std::vector<std::uint8_t>& response, bool masked,
                          std::int64_t started_us) {
  ApduRecord record;
  record.command = command;
  if (response.size() >= 2) {
    record.sw = static_cast<std::uint16_t>((response[response.size() - 2] << 8) |
                                           response[response.size() - 1]);
  }
  nlohmann::json data{
      {"command", hex_bytes(command)}, {"response", hex_bytes(response)}, {"masked", masked}};
  if (response.empty()) data["error"] = "transport error";
  if (started_us >= 0) data["start_us"] = started_us;
  push("apdu", std::move(data));
  apdus_.push_back(std::move(record));
}

void RunContext::add_rpc(const std::string& method, const std::string& status,
                         nlohmann::json request, nlohmann::json response, std::int64_t started_us) {
  nlohmann::json data{{"method", method},
                      {"status", status},
                      {"request", std::move(request)},
                      {"response", std::move(response)}};
  if (started_us >= 0) data["start_us"] = started_us;
  push("rpc", std::move(data));
}

void RunContext::add_note(const std::string& text) { push("note", {{"text", text}}); }

void RunContext::set_snapshot(const std::string& name, nlohmann::json value) {
  snapshots_[name] = std::move(value);
}

const nlohmann::json* RunContext::snapshot(const std::string& name) const {
  refresh_snapshots();
  const auto it = snapshots_.find(name);
  return it == snapshots_.end() ? nullptr : &it->second;
}

void RunContext::refresh_snapshots_on_read(std::function<void()> refresh) {
  pending_refresh_ = std::move(refresh);
}

void RunContext::refresh_snapshots() const {
  if (!pending_refresh_) return;
  // Taken out first: the refresh publishes through set_snapshot and may read.
  const std::function<void()> refresh = std::move(pending_refresh_);
  pending_refresh_ = nullptr;
  refresh();
}

}  // namespace zairyu::conformance
