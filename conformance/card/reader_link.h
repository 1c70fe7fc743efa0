// ReaderLink: a PcscTransport on one named reader that can be connected anew
// (after the card came back, or was reset behind the client's back), with
// session() counting on across connections so the client knows its
// selection and security state are gone.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "zairyu/client/pcsc_transport.h"

namespace zairyu::conformance {

class ReaderLink final : public client::CardTransport {
 public:
  // `card_wait`: how long connect() waits for a card in the reader.
  ReaderLink(std::string reader, std::chrono::milliseconds card_wait);

  // Drops the connection (if any) and connects anew, waiting for the card.
  void connect();
  void disconnect();
  const std::string& reader() const { return reader_; }

  client::Bytes transmit(client::ByteView command) override;
  // A warm reset through PC/SC (SCardReconnect with SCARD_RESET_CARD).
  void reset() override;
  client::Bytes atr() const override;
  std::uint64_t session() const override;

 private:
  std::string reader_;
  std::chrono::milliseconds card_wait_;
  std::unique_ptr<client::PcscTransport> pcsc_;
  std::uint64_t session_base_ = 0;
};

}  // namespace zairyu::conformance
