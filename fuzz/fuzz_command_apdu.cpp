// fuzz_command_apdu: the card's ISO 7816-4 command-APDU parser
// (emulator/card/command_apdu.h) on arbitrary bytes.
//
// Checks, besides "no crash, no UB":
// - a parsed command re-encodes (with the small encoder below) to exactly the
//   input bytes, and its case, lengths and `extended` flag agree;
// - an independent classifier, which tests every ISO encoding form on its own,
//   accepts the input in exactly one form iff the parser accepts it, and in the
//   same case; a rejection is always 67 00.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>

#include "emulator/card/command_apdu.h"

namespace {

using zairyu::card::ApduCase;
using zairyu::card::Bytes;
using zairyu::card::ByteView;
using zairyu::card::CommandApdu;

[[noreturn]] void fail() { std::abort(); }
void check(bool ok) {
  if (!ok) fail();
}

// Encodes a command the way ISO 7816-3 12.1.3 lays it out. Ne 256 (short) and
// 65536 (extended) are written as 00 / 00 00.
Bytes encode(const CommandApdu& c) {
  Bytes out{c.cla, c.ins, c.p1, c.p2};
  const auto put_len = [&](std::size_t v) {
    if (c.extended) {
      out.push_back(static_cast<std::uint8_t>(v >> 8));
      out.push_back(static_cast<std::uint8_t>(v));
    } else {
      out.push_back(static_cast<std::uint8_t>(v));
    }
  };
  const bool has_data = c.apdu_case == ApduCase::k3 || c.apdu_case == ApduCase::k4;
  if (c.extended && c.apdu_case != ApduCase::k1) out.push_back(0x00);
  if (has_data) {
    put_len(c.data.size());
    out.insert(out.end(), c.data.begin(), c.data.end());
  }
  if (c.has_le()) put_len(c.le);  // 256 -> 00, 65536 -> 00 00 by truncation
  return out;
}

// The seven encoding forms of ISO 7816-3, each tested independently.
enum class Form { k1, k2s, k3s, k4s, k2e, k3e, k4e };

bool matches(Form f, ByteView b) {
  const std::size_t n = b.size();
  if (n < 4) return false;
  const std::size_t body = n - 4;  // bytes after the header
  switch (f) {
    case Form::k1:
      return body == 0;
    case Form::k2s:
      return body == 1;
    case Form::k3s:
      return body >= 2 && b[4] != 0 && body == 1 + std::size_t{b[4]};
    case Form::k4s:
      return body >= 3 && b[4] != 0 && body == 2 + std::size_t{b[4]};
    case Form::k2e:
      return body == 3 && b[4] == 0;
    case Form::k3e: {
      if (body < 4 || b[4] != 0) return false;
      const std::size_t lc = std::size_t{b[5]} << 8 | b[6];
      return lc != 0 && body == 3 + lc;
    }
    case Form::k4e: {
      if (body < 6 || b[4] != 0) return false;
      const std::size_t lc = std::size_t{b[5]} << 8 | b[6];
      return lc != 0 && body == 5 + lc;
    }
  }
  return false;
}

ApduCase case_of(Form f) {
  switch (f) {
    case Form::k1:
      return ApduCase::k1;
    case Form::k2s:
    case Form::k2e:
      return ApduCase::k2;
    case Form::k3s:
    case Form::k3e:
      return ApduCase::k3;
    case Form::k4s:
    case Form::k4e:
      break;
  }
  return ApduCase::k4;
}

bool is_extended(Form f) { return f == Form::k2e || f == Form::k3e || f == Form::k4e; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView input(data, size);
  const zairyu::card::ParsedApdu parsed = zairyu::card::parse_command_apdu(input);

  std::optional<Form> form;
  int forms = 0;
  for (Form f : {Form::k1, Form::k2s, Form::k3s, Form::k4s, Form::k2e, Form::k3e, Form::k4e}) {
    if (matches(f, input)) {
      form = f;
      ++forms;
    }
  }
  check(forms <= 1);  // the forms are disjoint by construction of ISO 7816-3

  if (!parsed.command) {
    check(parsed.error_sw == 0x6700);
    check(!form);
    return 0;
  }
  const CommandApdu& c = *parsed.command;
  check(form.has_value());
  check(c.apdu_case == case_of(*form));
  check(c.extended == is_extended(*form));

  // Lengths agree with the case and the encoding.
  const bool has_data = c.apdu_case == ApduCase::k3 || c.apdu_case == ApduCase::k4;
  check(has_data == !c.data.empty());
  check(c.has_le() == (c.le != 0));
  if (c.extended) {
    check(c.data.size() <= 65535 && c.le <= 65536);
  } else {
    check(c.data.size() <= 255 && c.le <= 256);
  }
  // The data views the input, after the header and Lc.
  if (has_data) {
    check(c.data.data() == data + (c.extended ? 7 : 5));
  }
  check(c.cla == data[0] && c.ins == data[1] && c.p1 == data[2] && c.p2 == data[3]);

  // Round trip.
  const Bytes again = encode(c);
  check(again.size() == size);
  check(std::equal(again.begin(), again.end(), input.begin()));
  return 0;
}
