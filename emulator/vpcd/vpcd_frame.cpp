#include "emulator/vpcd/vpcd_frame.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace zairyu::vpcd {

VpcdFrame classify_frame(ByteView payload) {
  VpcdFrame frame;
  frame.payload = payload;
  if (payload.empty()) {
    frame.kind = VpcdFrame::Kind::kEmpty;
  } else if (payload.size() >= 2) {
    frame.kind = VpcdFrame::Kind::kApdu;
  } else {
    switch (payload[0]) {
      case 0x00:
        frame.kind = VpcdFrame::Kind::kPowerOff;
        break;
      case 0x01:
        frame.kind = VpcdFrame::Kind::kPowerOn;
        break;
      case 0x02:
        frame.kind = VpcdFrame::Kind::kReset;
        break;
      case 0x04:
        frame.kind = VpcdFrame::Kind::kGetAtr;
        break;
      default:
        frame.kind = VpcdFrame::Kind::kUnknownControl;
        break;
    }
  }
  return frame;
}

VpcdFrameReader::VpcdFrameReader(std::size_t max_payload)
    : max_payload_(std::min(max_payload, kMaxWirePayload)) {}

void VpcdFrameReader::feed(ByteView chunk) {
  if (failed_ || chunk.empty()) return;
  if (chunk.size() > capacity_ - size_) make_room(chunk.size());
  std::memcpy(buffer_.get() + size_, chunk.data(), chunk.size());
  size_ += chunk.size();
}

void VpcdFrameReader::make_room(std::size_t needed) {
  // Drop what was already returned, then grow only if the bytes not yet
  // returned plus the new chunk still do not fit.
  const std::size_t kept = size_ - consumed_;
  if (consumed_ > 0 && kept > 0) std::memmove(buffer_.get(), buffer_.get() + consumed_, kept);
  consumed_ = 0;
  size_ = kept;
  if (kept + needed <= capacity_) return;
  const std::size_t capacity = std::max({kept + needed, 2 * capacity_, std::size_t{256}});
  auto grown = std::make_unique_for_overwrite<std::uint8_t[]>(capacity);
  if (kept > 0) std::memcpy(grown.get(), buffer_.get(), kept);
  buffer_ = std::move(grown);
  capacity_ = capacity;
}

std::optional<VpcdFrame> VpcdFrameReader::next() {
  if (failed_) return std::nullopt;
  const std::size_t available = size_ - consumed_;
  if (available < 2) return std::nullopt;
  const std::uint8_t* head = buffer_.get() + consumed_;
  const std::size_t length = (static_cast<std::size_t>(head[0]) << 8) | head[1];
  if (length > max_payload_) {
    failed_ = true;
    size_ = 0;
    consumed_ = 0;
    return std::nullopt;
  }
  if (available < 2 + length) return std::nullopt;
  VpcdFrame frame = classify_frame(ByteView(head + 2, length));
  consumed_ += 2 + length;
  return frame;
}

Bytes encode_frame(ByteView payload) {
  if (payload.size() > kMaxWirePayload) throw std::length_error("vpcd frame payload above 65535");
  Bytes out;
  out.reserve(payload.size() + 2);
  out.push_back(static_cast<std::uint8_t>(payload.size() >> 8));
  out.push_back(static_cast<std::uint8_t>(payload.size() & 0xFF));
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

}  // namespace zairyu::vpcd
