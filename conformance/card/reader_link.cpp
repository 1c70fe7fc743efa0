#include "conformance/card/reader_link.h"

#include <stdexcept>

namespace zairyu::conformance {

ReaderLink::ReaderLink(std::string reader, std::chrono::milliseconds card_wait)
    : reader_(std::move(reader)), card_wait_(card_wait) {}

void ReaderLink::connect() {
  if (pcsc_) session_base_ += pcsc_->session();
  pcsc_.reset();
  client::PcscOptions options;
  options.reader = reader_;
  options.card_wait = card_wait_;
  pcsc_ = std::make_unique<client::PcscTransport>(options);
}

void ReaderLink::disconnect() {
  if (pcsc_) session_base_ += pcsc_->session();
  pcsc_.reset();
}

client::Bytes ReaderLink::transmit(client::ByteView command) {
  if (!pcsc_) throw std::logic_error("ReaderLink: not connected to '" + reader_ + "'");
  return pcsc_->transmit(command);
}

void ReaderLink::reset() {
  if (!pcsc_) throw std::logic_error("ReaderLink: not connected to '" + reader_ + "'");
  pcsc_->reset();
}

client::Bytes ReaderLink::atr() const { return pcsc_ ? pcsc_->atr() : client::Bytes{}; }

std::uint64_t ReaderLink::session() const { return session_base_ + (pcsc_ ? pcsc_->session() : 0); }

}  // namespace zairyu::conformance
