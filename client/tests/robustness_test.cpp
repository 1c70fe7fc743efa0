// Hostile-input sweep of the pure parsers: random bytes and mutations of
// valid files must give a result or a CardProtocolError, nothing else (run it
// under ASan/UBSan to catch out-of-bounds reads). The libFuzzer targets go
// further; this keeps a cheap guard in the unit tests.
#include <boost/test/unit_test.hpp>

#include <random>

#include "scripted_transport.h"
#include "test_data.h"
#include "zairyu/client/errors.h"
#include "zairyu/client/parsers.h"

using namespace zairyu::client;
using zairyu::client::testing::basic_four;
using zairyu::client::testing::hex;

namespace {

// Calls every parser on `input`; fails the test on anything but success or
// CardProtocolError.
void parse_all(const Bytes& input) {
  const auto guarded = [&](auto&& parse) {
    try {
      parse(input);
    } catch (const CardProtocolError&) {
    }
  };
  guarded([](const Bytes& b) { (void)parse_der_length_header(b); });
  guarded([](const Bytes& b) { (void)parse_tlv_sequence(b); });
  guarded([](const Bytes& b) { (void)parse_my_number_ef(b); });
  guarded([](const Bytes& b) { (void)parse_basic_four_ef(b); });
}

}  // namespace

BOOST_AUTO_TEST_CASE(random_and_mutated_inputs) {
  std::mt19937 rng(20240607);
  std::uniform_int_distribution<int> byte(0, 255);
  const Bytes seeds[] = {
      hex("FF 10 0C 35 33 37 36 38 36 36 37 37 31 38 38 FF FF"),
      basic_four("\xE5\xB1\xB1\xE7\x94\xB0", "ADDRESS", "19900102", '1'),
      hex("30 82 01 00 30 81 F0 02 01 01"),
  };
  for (int round = 0; round < 20000; ++round) {
    Bytes input;
    if (round % 2 == 0) {
      input.resize(static_cast<std::size_t>(byte(rng) % 40));
      for (auto& b : input) b = static_cast<std::uint8_t>(byte(rng));
      // Bias towards the tags the parsers know.
      if (!input.empty() && round % 4 == 0) input[0] = round % 8 == 0 ? 0xFF : 0xDF;
    } else {
      input = seeds[round % 3];
      const int edits = 1 + byte(rng) % 4;
      for (int e = 0; e < edits; ++e) {
        const std::size_t at = static_cast<std::size_t>(byte(rng)) % input.size();
        input[at] = static_cast<std::uint8_t>(byte(rng));
      }
      input.resize(static_cast<std::size_t>(byte(rng)) % (input.size() + 1));
    }
    parse_all(input);
  }
  BOOST_TEST(true);  // reaching here without a crash or a stray exception is the check
}
