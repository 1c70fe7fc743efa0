#include "zairyu/client/apdu.h"

#include <openssl/crypto.h>

#include <stdexcept>

#include "zairyu/client/errors.h"

namespace zairyu::client {

Apdu::Apdu(std::uint8_t cla, std::uint8_t ins, std::uint8_t p1, std::uint8_t p2, Bytes data,
           std::optional<std::size_t> le)
    : cla_(cla), ins_(ins), p1_(p1), p2_(p2), data_(std::move(data)), le_(le) {
  if (data_.size() > 255) throw std::invalid_argument("APDU data longer than 255 bytes");
  if (le_ && (*le_ == 0 || *le_ > 256)) throw std::invalid_argument("APDU Le outside 1..256");
}

Apdu::~Apdu() {
  if (sensitive_ && !data_.empty()) OPENSSL_cleanse(data_.data(), data_.size());
}

Apdu&& Apdu::sensitive() && {
  sensitive_ = true;
  return std::move(*this);
}

Bytes Apdu::encode() const {
  Bytes out{cla_, ins_, p1_, p2_};
  out.reserve(6 + data_.size());
  if (!data_.empty()) {
    out.push_back(static_cast<std::uint8_t>(data_.size()));
    out.insert(out.end(), data_.begin(), data_.end());
  }
  if (le_) out.push_back(static_cast<std::uint8_t>(*le_ == 256 ? 0 : *le_));
  return out;
}

Bytes Apdu::encode_masked() const {
  Bytes out = encode();
  if (sensitive_) {
    for (std::size_t i = 0; i < data_.size(); ++i) out[5 + i] = '*';
  }
  return out;
}

ResponseApdu::ResponseApdu(ByteView raw) {
  if (raw.size() < 2) throw CardProtocolError("response shorter than a status word");
  data_.assign(raw.begin(), raw.end() - 2);
  sw1_ = raw[raw.size() - 2];
  sw2_ = raw[raw.size() - 1];
}

}  // namespace zairyu::client
