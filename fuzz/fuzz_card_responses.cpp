// fuzz_card_responses: the client engine (client/, zairyu_client_card) against
// a hostile card, plus the client's pure parsers of card data.
//
// Input layout: byte 0 (mod 8) chooses the mode, the rest is the body.
//   0     session: the body is the card's side of a whole session, big-endian
//         2-byte length chunks, one per raw answer (ISO 61 xx / 6C xx handling
//         included, via transmit_resolving_iso_chaining). A chunk shorter than
//         2 bytes answers 6D 00, like OpenSC's fuzzing reader. When the answers
//         run out the card is "removed" (CardRemovedError) and the run ends.
//         The client runs what an applicant's PC does: JPKI token, flags,
//         certificates, PIN status, VERIFY, signatures, the signature
//         certificate's personal data, then the input-helper AP's My Number
//         and basic four information.
//   1     parse_der_length_header(body)     2  parse_tlv_sequence(body)
//   3     parse_my_number_ef(body)          4  parse_basic_four_ef(body)
//   5     parse_sign_certificate_personal_data(body)
//   6, 7  session, as 0
//
// Any client error (CardError and its subclasses) is a fine outcome; a crash,
// UB, a leak, any other exception, or a result breaking its documented
// contract is a finding.
#include <openssl/err.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <string>

#include "fuzz/client_session.h"
#include "zairyu/client/apdu.h"
#include "zairyu/client/card_channel.h"
#include "zairyu/client/certificate.h"
#include "zairyu/client/errors.h"
#include "zairyu/client/input_helper_card.h"
#include "zairyu/client/jpki_card.h"
#include "zairyu/client/parsers.h"
#include "zairyu/client/secret_string.h"
#include "zairyu/client/transport.h"

namespace {

namespace client = zairyu::client;
using client::Bytes;
using client::ByteView;

using zairyu::fuzz::check;

// Replays the fuzz input as the card's raw answers.
class ReplayTransport final : public client::CardTransport {
 public:
  explicit ReplayTransport(ByteView answers) : answers_(answers) {}

  Bytes transmit(ByteView command) override {
    check(command.size() >= 4);  // the client never sends less than a header
    return client::transmit_resolving_iso_chaining(
        command, [this](ByteView raw) { return next_answer(raw); });
  }
  void reset() override { ++session_; }
  Bytes atr() const override { return {0x3B, 0xE0, 0x00, 0xFF, 0x81, 0x31, 0xFE, 0x45, 0x14}; }
  std::uint64_t session() const override { return session_; }
  bool exhausted() const { return exhausted_; }

 private:
  Bytes next_answer(ByteView /*raw command*/) {
    if (pos_ >= answers_.size()) {
      exhausted_ = true;
      throw client::CardRemovedError("fuzz input exhausted", "FUZZ_END_OF_INPUT");
    }
    std::size_t len = answers_[pos_];
    if (pos_ + 1 < answers_.size()) len = len << 8 | answers_[pos_ + 1];
    pos_ = std::min(pos_ + 2, answers_.size());
    len = std::min(len, answers_.size() - pos_);
    const ByteView chunk = answers_.subspan(pos_, len);
    pos_ += len;
    if (chunk.size() < 2) return {0x6D, 0x00};
    return Bytes(chunk.begin(), chunk.end());
  }

  ByteView answers_;
  std::size_t pos_ = 0;
  std::uint64_t session_ = 1;
  bool exhausted_ = false;
};

void run_session(ByteView answers) {
  ReplayTransport transport(answers);
  zairyu::fuzz::run_client_session(transport, [&] { return !transport.exhausted(); });
}

void run_parser(std::uint8_t mode, ByteView body) {
  try {
    switch (mode) {
      case 1: {
        const auto h = client::parse_der_length_header(body);
        check(h.header_length >= 2 && h.header_length <= 3 + 4 && h.header_length <= body.size());
        break;
      }
      case 2: {
        const auto tlvs = client::parse_tlv_sequence(body, 7);
        std::size_t next = 7;
        for (const auto& t : tlvs) {  // consecutive, each inside the buffer
          check(t.offset == next);
          check(t.value.data() >= body.data() &&
                t.value.data() + t.value.size() <= body.data() + body.size());
          next = static_cast<std::size_t>(t.value.data() + t.value.size() - body.data()) + 7;
        }
        check(next == body.size() + 7);
        break;
      }
      case 3:
        check(client::is_valid_my_number(client::parse_my_number_ef(body)));
        break;
      case 4: {
        const auto four = client::parse_basic_four_ef(body);
        static_cast<void>(four);
        break;
      }
      case 5:
        client::parse_sign_certificate_personal_data(body);
        break;
      default:
        break;
    }
  } catch (const client::CardProtocolError&) {
    // The parsers' documented rejection.
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t mode = data[0] & 0x07;
  const ByteView body(data + 1, size - 1);
  if (mode == 0 || mode >= 6) {
    run_session(body);
  } else {
    run_parser(mode, body);
  }
  // OpenSSL errors the certificate parser leaves queued would unbalance
  // malloc/free per input and make libFuzzer run a full leak scan each time.
  ERR_clear_error();
  return 0;
}
