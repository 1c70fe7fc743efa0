// fuzz_vpcd_stream: the vpcd framing reader (emulator/vpcd/vpcd_frame.h) fed
// an arbitrary byte stream in arbitrary splits, as a TCP socket delivers it.
//
// Input layout:
//   byte 0   split seed: drives the chunk sizes given to feed() and how many
//            frames are taken out between feeds (bits 3-7 also set the
//            largest chunk, 1..249 bytes)
//   byte 1   reader limit: 0 = default (65535), FF = 1 MiB (clamped by the
//            reader), else max_payload = byte - 1
//   rest     the stream
//
// An independent reference walks the whole stream (no buffering, no splits);
// the reader must produce exactly its frames (payload, kind), only from bytes
// already fed, each re-encoding with encode_frame() to the very bytes of the
// stream; it must fail exactly when the reference meets a length above the
// limit, and report the left-over bytes. Frames are views into the reader's
// buffer, so nothing is copied per frame; encode_frame() (which allocates) is
// checked on the first frame of each input.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "emulator/vpcd/vpcd_frame.h"

namespace {

using zairyu::vpcd::ByteView;
using zairyu::vpcd::VpcdFrame;

[[noreturn]] void fail() { std::abort(); }
void check(bool ok) {
  if (!ok) fail();
}

// Byte equality by memcmp: std::equal was a traced compare per byte, a fifth
// of this target's time.
bool same_bytes(ByteView a, ByteView b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size()) == 0);
}

VpcdFrame::Kind expected_kind(ByteView payload) {
  if (payload.empty()) return VpcdFrame::Kind::kEmpty;
  if (payload.size() > 1) return VpcdFrame::Kind::kApdu;
  switch (payload[0]) {
    case 0x00:
      return VpcdFrame::Kind::kPowerOff;
    case 0x01:
      return VpcdFrame::Kind::kPowerOn;
    case 0x02:
      return VpcdFrame::Kind::kReset;
    case 0x04:
      return VpcdFrame::Kind::kGetAtr;
    default:
      return VpcdFrame::Kind::kUnknownControl;
  }
}

// The reference reader: the frame starting at `pos` of the whole stream, as
// the length of its payload, when the stream holds all of it and the limit
// allows it. `*too_long` tells the reader must have failed there.
std::optional<std::size_t> reference_frame(ByteView stream, std::size_t pos, std::size_t limit,
                                           bool* too_long) {
  *too_long = false;
  if (stream.size() - pos < 2) return std::nullopt;
  const std::size_t len = std::size_t{stream[pos]} << 8 | stream[pos + 1];
  if (len > limit) {
    *too_long = true;
    return std::nullopt;
  }
  if (stream.size() - pos - 2 < len) return std::nullopt;
  return len;
}

// xorshift32: cheap, deterministic split decisions.
struct Splitter {
  std::uint32_t state;
  std::uint32_t next() {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    return state;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::uint8_t split = data[0];
  const std::uint8_t limit_sel = data[1];
  const ByteView stream(data + 2, size - 2);

  std::size_t limit = zairyu::vpcd::kMaxWirePayload;
  zairyu::vpcd::VpcdFrameReader reader = [&] {
    if (limit_sel == 0) return zairyu::vpcd::VpcdFrameReader();
    if (limit_sel == 0xFF) return zairyu::vpcd::VpcdFrameReader(std::size_t{1} << 20);
    limit = std::size_t{limit_sel} - 1;
    return zairyu::vpcd::VpcdFrameReader(limit);
  }();
  Splitter rng{0x9E3779B9u ^ (std::uint32_t{split} * 0x01000193u)};
  const std::size_t max_chunk = 1 + static_cast<std::size_t>(split >> 3) * 8;
  std::size_t fed = 0;
  std::size_t ref_pos = 0;  // where the reference's next frame starts
  bool too_long = false;
  const auto take = [&](std::size_t max_frames) {
    for (std::size_t i = 0; i < max_frames; ++i) {
      const auto frame = reader.next();
      if (!frame) return;
      const auto len = reference_frame(stream, ref_pos, limit, &too_long);
      check(len.has_value() && ref_pos + 2 + *len <= fed);  // only bytes already fed
      const ByteView want = stream.subspan(ref_pos, 2 + *len);
      const ByteView payload = want.subspan(2);
      check(same_bytes(frame->payload, payload));
      check(frame->kind == expected_kind(payload));
      if (ref_pos == 0) {
        check(same_bytes(zairyu::vpcd::encode_frame(frame->payload), want));
      }
      ref_pos += want.size();
    }
  };
  reader.feed({});  // an empty read from the socket changes nothing
  while (fed < stream.size()) {
    const std::size_t n = std::min<std::size_t>(1 + rng.next() % max_chunk, stream.size() - fed);
    reader.feed(stream.subspan(fed, n));
    fed += n;
    // Sometimes leave frames in the buffer, so later feeds compact around them.
    const std::uint32_t r = rng.next();
    take((r & 3) == 0 ? 0 : (r & 3) == 1 ? 1 : SIZE_MAX);
  }
  take(SIZE_MAX);

  // Every complete frame was delivered; the reader failed iff the reference
  // meets a length above the limit next.
  check(!reference_frame(stream, ref_pos, limit, &too_long));
  check(reader.failed() == too_long);
  if (too_long) {
    check(reader.buffered() == 0);
    check(!reader.next());
  } else {
    check(reader.buffered() == stream.size() - ref_pos);
  }
  return 0;
}
