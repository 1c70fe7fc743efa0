// PcscTransport: CardTransport over PC/SC (pcsc-lite), for real readers and
// for the virtual card behind vpcd alike.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "zairyu/client/transport.h"

namespace zairyu::client {

// How to connect.
struct PcscOptions {
  // Reader name; empty = the first reader that holds a card.
  std::string reader;
  // SCARD_SHARE_EXCLUSIVE when true, else SCARD_SHARE_SHARED.
  bool exclusive = false;
  // Allowed protocols (T=1 preferred by the card; T=0 allowed).
  bool allow_t0 = true;
  bool allow_t1 = true;
  // How long to wait for a card to be inserted before TimeoutError.
  std::chrono::milliseconds card_wait = std::chrono::seconds(10);
};

// Connected on construction, disconnected (card left as is) on destruction.
// PC/SC has no per-command timeout; a hung reader is pcscd's to time out.
class PcscTransport final : public CardTransport {
 public:
  // Waits up to options.card_wait for a card, then connects.
  explicit PcscTransport(PcscOptions options = {});
  ~PcscTransport() override;
  PcscTransport(const PcscTransport&) = delete;
  PcscTransport& operator=(const PcscTransport&) = delete;

  // Names of the readers pcscd knows (empty when there are none).
  static std::vector<std::string> list_readers();

  Bytes transmit(ByteView command) override;
  void reset() override;
  Bytes atr() const override;
  std::uint64_t session() const override { return session_; }

  const std::string& reader() const { return reader_; }
  // 0 for T=0, 1 for T=1.
  int protocol() const;

 private:
  struct Handles;
  Bytes transmit_raw(ByteView command);
  void reconnect(bool reset_card);

  PcscOptions options_;
  std::unique_ptr<Handles> handles_;
  std::string reader_;
  std::uint64_t session_ = 1;
};

// The PC/SC constant name of an error code ("SCARD_E_NO_SMARTCARD"), or its
// hex value when unknown.
std::string pcsc_error_name(long code);

}  // namespace zairyu::client
