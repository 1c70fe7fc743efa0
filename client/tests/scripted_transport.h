// ScriptedTransport: a fake CardTransport for unit tests. It holds a list of
// expected command APDUs with canned responses and fails the test on any
// command that is not the next one expected.
#pragma once

#include <deque>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "zairyu/client/bytes.h"
#include "zairyu/client/errors.h"
#include "zairyu/client/transport.h"

namespace zairyu::client::testing {

// "00 A4 04 0C" -> bytes (spaces ignored).
inline Bytes hex(std::string_view text) {
  Bytes out;
  int high = -1;
  for (char c : text) {
    if (c == ' ') continue;
    const int v = c >= '0' && c <= '9'   ? c - '0'
                  : c >= 'A' && c <= 'F' ? c - 'A' + 10
                  : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                         : -1;
    if (v < 0) throw std::invalid_argument("bad hex in test");
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<std::uint8_t>(high << 4 | v));
      high = -1;
    }
  }
  if (high >= 0) throw std::invalid_argument("odd hex in test");
  return out;
}

inline Bytes concat(const Bytes& a, const Bytes& b) {
  Bytes out;
  out.reserve(a.size() + b.size());
  out.insert(out.end(), a.begin(), a.end());
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

class ScriptedTransport final : public CardTransport {
 public:
  // Expect `command` next and answer `response`.
  void expect(Bytes command, Bytes response) {
    script_.push_back(Step{std::move(command), std::move(response), false});
  }
  void expect(std::string_view command, std::string_view response) {
    expect(hex(command), hex(response));
  }

  // Expect `command` next and act as if the card was pulled out meanwhile.
  void expect_removal(std::string_view command) { script_.push_back(Step{hex(command), {}, true}); }

  Bytes transmit(ByteView command) override {
    const Bytes got(command.begin(), command.end());
    if (script_.empty()) throw std::logic_error("unexpected extra command " + to_hex(got));
    Step step = std::move(script_.front());
    script_.pop_front();
    if (step.command != got) {
      throw std::logic_error("expected " + to_hex(step.command) + " but got " + to_hex(got));
    }
    ++sent_;
    if (step.removed) throw CardRemovedError("scripted removal", "SCARD_W_REMOVED_CARD");
    return step.response;
  }
  void reset() override { ++session_; }
  Bytes atr() const override { return hex("3B E0 00 FF 81 31 FE 45 14"); }
  std::uint64_t session() const override { return session_; }

  bool finished() const { return script_.empty(); }
  int sent() const { return sent_; }

 private:
  struct Step {
    Bytes command;
    Bytes response;
    bool removed;
  };
  std::deque<Step> script_;
  std::uint64_t session_ = 1;
  int sent_ = 0;
};

}  // namespace zairyu::client::testing
