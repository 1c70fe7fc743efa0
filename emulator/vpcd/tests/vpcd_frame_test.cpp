#define BOOST_TEST_MODULE vpcd_frame
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <random>
#include <stdexcept>
#include <utility>
#include <vector>

#include "emulator/slots/tests/test_printing.h"
#include "emulator/vpcd/vpcd_frame.h"

namespace zairyu::vpcd {
namespace {

using Kind = VpcdFrame::Kind;

BOOST_AUTO_TEST_CASE(classifies_control_bytes_and_apdus) {
  const Bytes off{0x00}, on{0x01}, reset{0x02}, atr{0x04}, other{0x03}, apdu{0x00, 0x84};
  BOOST_TEST((classify_frame(off).kind == Kind::kPowerOff));
  BOOST_TEST((classify_frame(on).kind == Kind::kPowerOn));
  BOOST_TEST((classify_frame(reset).kind == Kind::kReset));
  BOOST_TEST((classify_frame(atr).kind == Kind::kGetAtr));
  BOOST_TEST((classify_frame(other).kind == Kind::kUnknownControl));
  BOOST_TEST((classify_frame(ByteView{}).kind == Kind::kEmpty));
  BOOST_TEST((classify_frame(apdu).kind == Kind::kApdu));
  const ByteView payload = classify_frame(apdu).payload;
  BOOST_TEST(payload.data() == apdu.data());  // a view of the given bytes, no copy
  BOOST_TEST(payload.size() == apdu.size());
}

BOOST_AUTO_TEST_CASE(reassembles_frames_split_anywhere) {
  // Three frames: GET ATR, an APDU, power off; fed one byte at a time.
  const Bytes stream{0x00, 0x01, 0x04, 0x00, 0x05, 0x00, 0xA4, 0x04, 0x0C, 0x00, 0x00, 0x01, 0x00};
  VpcdFrameReader reader;
  // Payloads are views into the reader's buffer: copy them before the next feed().
  std::vector<std::pair<Kind, Bytes>> frames;
  for (std::uint8_t b : stream) {
    reader.feed(ByteView(&b, 1));
    while (auto f = reader.next())
      frames.emplace_back(f->kind, Bytes(f->payload.begin(), f->payload.end()));
  }
  BOOST_TEST_REQUIRE(frames.size() == 3u);
  BOOST_TEST((frames[0].first == Kind::kGetAtr));
  BOOST_TEST((frames[1].first == Kind::kApdu));
  BOOST_TEST(frames[1].second == (Bytes{0x00, 0xA4, 0x04, 0x0C, 0x00}));
  BOOST_TEST((frames[2].first == Kind::kPowerOff));
  BOOST_TEST(reader.buffered() == 0u);
}

BOOST_AUTO_TEST_CASE(several_frames_in_one_chunk_and_empty_frame) {
  const Bytes stream{0x00, 0x00, 0x00, 0x01, 0x02, 0x00};
  VpcdFrameReader reader;
  reader.feed(stream);
  auto a = reader.next();
  auto b = reader.next();
  BOOST_TEST_REQUIRE((a && b));
  BOOST_TEST((a->kind == Kind::kEmpty));
  BOOST_TEST((b->kind == Kind::kReset));
  BOOST_TEST(!reader.next());
  BOOST_TEST(reader.buffered() == 1u);  // half a length prefix waits for more
}

// Frames not yet taken out stay intact when later feeds compact the buffer
// (returned bytes dropped) and grow it (a frame larger than what it held).
BOOST_AUTO_TEST_CASE(unread_frames_survive_compaction_and_growth) {
  Bytes big{0x01, 0x2C};  // a 300-byte APDU, fed in pieces of 100
  for (int i = 0; i < 300; ++i) big.push_back(static_cast<std::uint8_t>(i));
  VpcdFrameReader reader;
  reader.feed(Bytes{0x00, 0x01, 0x04, 0x00, 0x01, 0x01});  // GET ATR, power on
  BOOST_TEST_REQUIRE(reader.next().has_value());           // GET ATR taken, power on left
  for (std::size_t pos = 0; pos < big.size(); pos += 100)
    reader.feed(ByteView(big.data() + pos, std::min<std::size_t>(100, big.size() - pos)));
  BOOST_TEST(reader.buffered() == 3u + big.size());
  const auto on = reader.next();
  BOOST_TEST_REQUIRE(on.has_value());
  BOOST_TEST((on->kind == Kind::kPowerOn));
  const auto apdu = reader.next();
  BOOST_TEST_REQUIRE(apdu.has_value());
  BOOST_TEST((apdu->kind == Kind::kApdu));
  BOOST_TEST(Bytes(apdu->payload.begin(), apdu->payload.end()) ==
             Bytes(big.begin() + 2, big.end()));
  BOOST_TEST(reader.buffered() == 0u);
}

BOOST_AUTO_TEST_CASE(length_above_bound_fails_for_good) {
  VpcdFrameReader reader(16);
  reader.feed(Bytes{0x00, 0x11});
  BOOST_TEST(!reader.next());
  BOOST_TEST(reader.failed());
  reader.feed(Bytes{0x00, 0x01, 0x04});
  BOOST_TEST(!reader.next());
  BOOST_TEST(reader.buffered() == 0u);
}

BOOST_AUTO_TEST_CASE(largest_wire_frame_is_accepted) {
  VpcdFrameReader reader;
  Bytes stream{0xFF, 0xFF};
  stream.resize(2 + 0xFFFF, 0x5A);
  reader.feed(stream);
  auto f = reader.next();
  BOOST_TEST_REQUIRE(f.has_value());
  BOOST_TEST(f->payload.size() == 0xFFFFu);
}

BOOST_AUTO_TEST_CASE(encodes_length_big_endian) {
  BOOST_TEST(encode_frame(Bytes{0x90, 0x00}) == (Bytes{0x00, 0x02, 0x90, 0x00}));
  BOOST_TEST(encode_frame(ByteView{}) == (Bytes{0x00, 0x00}));
  Bytes big(0x0102, 0x01);
  const Bytes framed = encode_frame(big);
  BOOST_TEST(framed[0] == 0x01);
  BOOST_TEST(framed[1] == 0x02);
  BOOST_CHECK_THROW(encode_frame(Bytes(0x10000, 0)), std::length_error);
}

// The same frames come out however a random stream is split (what the fuzz
// target checks at scale), and the reader never buffers more than it got.
BOOST_AUTO_TEST_CASE(random_streams_and_splits_agree) {
  std::mt19937 rng(7);
  for (int round = 0; round < 300; ++round) {
    Bytes stream(rng() % 600);
    for (auto& b : stream) b = static_cast<std::uint8_t>(rng() % 4 == 0 ? 0 : rng());
    auto frames_of = [&](bool split) {
      VpcdFrameReader reader(256);
      std::vector<Bytes> out;
      std::size_t pos = 0;
      while (pos < stream.size()) {
        const std::size_t n = split ? 1 + rng() % 7 : stream.size();
        const std::size_t take = std::min(n, stream.size() - pos);
        reader.feed(ByteView(stream.data() + pos, take));
        pos += take;
        BOOST_TEST_REQUIRE(reader.buffered() <= stream.size());
        while (auto f = reader.next()) out.emplace_back(f->payload.begin(), f->payload.end());
      }
      return std::make_pair(out, reader.failed());
    };
    const auto whole = frames_of(false);
    const auto pieces = frames_of(true);
    BOOST_TEST_REQUIRE((whole == pieces));
  }
}

}  // namespace
}  // namespace zairyu::vpcd
