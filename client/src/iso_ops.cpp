#include "iso_ops.h"

#include <fmt/format.h>
#include <openssl/crypto.h>

#include <algorithm>

#include "zairyu/client/errors.h"
#include "zairyu/client/parsers.h"

namespace zairyu::client::detail {

namespace {
// The first read of an object of unknown length, 7 bytes as jpki/myna and
// jpki-rs do: room for a 3-byte tag and a length with 3 length bytes.
constexpr std::size_t kHeadRead = 7;
constexpr std::size_t kMaxOffset = 0x7FFF;  // 15-bit READ BINARY offset
}  // namespace

void select_application(CardChannel& channel, ByteView aid, std::string_view name) {
  channel.forget_selection();
  const ResponseApdu r =
      channel.transmit(Apdu(0x00, 0xA4, 0x04, 0x0C, Bytes(aid.begin(), aid.end())));
  if (!r.ok()) throw CardStatusError(fmt::format("SELECT {}", name), r.sw());
  channel.set_selected(aid);
}

void ensure_application(CardChannel& channel, ByteView aid, std::string_view name) {
  if (!channel.is_selected(aid)) select_application(channel, aid, name);
}

void select_ef(CardChannel& channel, std::uint16_t fid, std::string_view name) {
  const ResponseApdu r = channel.transmit(
      Apdu(0x00, 0xA4, 0x02, 0x0C,
           Bytes{static_cast<std::uint8_t>(fid >> 8), static_cast<std::uint8_t>(fid)}));
  if (!r.ok()) throw CardStatusError(fmt::format("SELECT EF {:04X} ({})", fid, name), r.sw());
}

Bytes read_binary(CardChannel& channel, std::size_t offset, std::size_t le, std::string_view name) {
  if (offset > kMaxOffset) {
    throw CardProtocolError(fmt::format("{}: offset {} beyond READ BINARY's range", name, offset));
  }
  const ResponseApdu r = channel.transmit(Apdu(0x00, 0xB0, static_cast<std::uint8_t>(offset >> 8),
                                               static_cast<std::uint8_t>(offset), {}, le));
  // The message is only built on failure: this runs for every chunk read.
  const auto what = [&] { return fmt::format("READ BINARY {} at offset {}", name, offset); };
  if (!r.ok()) throw CardStatusError(what(), r.sw());
  if (r.data().empty()) throw CardProtocolError(what() + ": card returned no data");
  if (r.data().size() > le) {
    throw CardProtocolError(
        fmt::format("{}: card returned {} bytes for Le {}", what(), r.data().size(), le));
  }
  return r.data();
}

Bytes read_ber_object(CardChannel& channel, std::size_t max_size, std::string_view name) {
  Bytes out = read_binary(channel, 0, kHeadRead, name);
  BerHeader header;
  try {
    header = parse_der_length_header(out);
  } catch (const CardProtocolError& e) {
    throw CardProtocolError(fmt::format("{}: {}", name, e.what()));
  }
  const std::size_t total = header.total_length();
  if (total > max_size) {
    throw CardProtocolError(fmt::format("{}: object declares {} bytes, more than the {} allowed",
                                        name, total, max_size));
  }
  if (out.size() > total) out.resize(total);
  out.reserve(total);
  while (out.size() < total) {
    // Le = 00 (256) while 256 or more remain; a short chunk is accepted (the
    // offset always advances, so the loop ends).
    const std::size_t want = std::min<std::size_t>(total - out.size(), 256);
    const Bytes chunk = read_binary(channel, out.size(), want, name);
    out.insert(out.end(), chunk.begin(), chunk.end());
  }
  return out;
}

PinStatus query_pin_status(CardChannel& channel, std::string_view name) {
  const ResponseApdu r = channel.transmit(Apdu(0x00, 0x20, 0x00, 0x80));
  PinStatus s;
  if (r.sw1() == 0x63 && (r.sw2() & 0xF0) == 0xC0) {
    s.state = PinStatus::State::kTriesLeft;
    s.tries_left = r.sw2() & 0x0F;
  } else if (r.sw() == 0x6984 || r.sw() == 0x6983) {
    s.state = PinStatus::State::kBlocked;
  } else if (r.sw() == 0x9000) {
    s.state = PinStatus::State::kVerified;
  } else if (r.sw() == 0x6300) {
    s.state = PinStatus::State::kNoLimit;
  } else {
    throw CardStatusError(fmt::format("PIN status of {}", name), r.sw());
  }
  return s;
}

VerifyResult verify_current_pin(CardChannel& channel, ByteView pin_data, VerifyOptions options,
                                std::string_view name) {
  using Outcome = VerifyResult::Outcome;
  const PinStatus status = query_pin_status(channel, name);
  if (status.blocked()) return {Outcome::kBlocked, 0};
  if (status.tries_left == 1 && !options.force_last_try) return {Outcome::kRefusedLastTry, 1};

  const ResponseApdu r = channel.transmit(
      Apdu(0x00, 0x20, 0x00, 0x80, Bytes(pin_data.begin(), pin_data.end())).sensitive());
  if (r.ok()) return {Outcome::kVerified, std::nullopt};
  if (r.sw() == 0x63C0 || r.sw() == 0x6984 || r.sw() == 0x6983) return {Outcome::kBlocked, 0};
  if (r.sw1() == 0x63 && (r.sw2() & 0xF0) == 0xC0) return {Outcome::kWrongPin, r.sw2() & 0x0F};
  if (r.sw() == 0x6300) return {Outcome::kWrongPin, std::nullopt};
  throw CardStatusError(fmt::format("VERIFY {}", name), r.sw());
}

PinBytes::~PinBytes() {
  if (!bytes.empty()) OPENSSL_cleanse(bytes.data(), bytes.size());
}

PinBytes four_digit_pin(std::string_view pin, std::string_view name) {
  if (pin.size() != 4 ||
      !std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    throw PinFormatError(fmt::format("{} must be exactly 4 digits", name));
  }
  return PinBytes(Bytes(pin.begin(), pin.end()));
}

}  // namespace zairyu::client::detail
