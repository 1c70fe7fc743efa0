// The vpcd wire format, without I/O: a 2-byte big-endian length, then that many
// payload bytes, in both directions. From vpcd a 1-byte payload is a control
// byte (00 power off, 01 power on, 02 reset, 04 get ATR); anything longer is a
// command APDU. Pure functions and a pure incremental reader, so the fuzz target
// fuzz_vpcd_stream can drive them with arbitrary streams and splits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

#include "emulator/card/bytes.h"

namespace zairyu::vpcd {

using card::Bytes;
using card::ByteView;

// The largest payload the 2-byte length can carry.
inline constexpr std::size_t kMaxWirePayload = 0xFFFF;

// One frame from vpcd, classified.
struct VpcdFrame {
  enum class Kind {
    kPowerOff,        // 1 byte 00
    kPowerOn,         // 1 byte 01
    kReset,           // 1 byte 02 (vpcd expects no answer)
    kGetAtr,          // 1 byte 04 (answer: the ATR, framed)
    kUnknownControl,  // any other 1-byte payload; vpcd never sends one
    kEmpty,           // length 0; vpcd never sends one (it skips empty APDUs)
    kApdu,            // 2 or more bytes: a command APDU, passed on unparsed
  };
  Kind kind = Kind::kEmpty;
  // The raw payload, also for control frames. A view, not a copy: it points
  // into the bytes given to classify_frame(), or into the reader's buffer,
  // where it stays valid until the reader's next feed().
  ByteView payload;
};

// Classifies one payload (the bytes after the length prefix).
VpcdFrame classify_frame(ByteView payload);

// Incremental reader: feed any chunks as they arrive from the socket, take out
// complete frames. A declared length above `max_payload` is a protocol error:
// the reader stops producing frames (failed() turns true) and keeps no more
// input, so a hostile peer cannot make it buffer without bound.
// The buffer is a plain byte array, compacted (one memmove) only when a chunk
// does not fit behind the data and grown by doubling only when it still does
// not fit: the vector erase + insert on every feed() it replaced was half of
// fuzz_vpcd_stream's time (instrumented template code on every call).
class VpcdFrameReader {
 public:
  explicit VpcdFrameReader(std::size_t max_payload = kMaxWirePayload);

  // Appends bytes from the stream. Ignored once failed().
  void feed(ByteView chunk);
  // The next complete frame, or nullopt when more bytes are needed or failed().
  std::optional<VpcdFrame> next();
  bool failed() const { return failed_; }
  // Bytes received but not yet returned as frames.
  std::size_t buffered() const { return size_ - consumed_; }

 private:
  // Makes room for `needed` more bytes behind the data.
  void make_room(std::size_t needed);

  std::size_t max_payload_;
  std::unique_ptr<std::uint8_t[]> buffer_;
  std::size_t capacity_ = 0;  // bytes allocated in buffer_
  std::size_t size_ = 0;      // bytes of buffer_ holding stream data
  std::size_t consumed_ = 0;  // prefix of buffer_ already returned as frames
  bool failed_ = false;
};

// Length prefix + payload in one buffer, to be sent with ONE send() call: vpcd
// (and any peer) then sees the frame in one segment; two writes would hit
// Nagle + delayed ACK. Throws std::length_error above kMaxWirePayload.
Bytes encode_frame(ByteView payload);

}  // namespace zairyu::vpcd
