// JpkiCard against a scripted fake transport: exact APDUs, chunking, hostile
// answers, the PIN rules, masking in traces and errors.
#include <boost/test/unit_test.hpp>

#include <algorithm>

#include "scripted_transport.h"
#include "zairyu/client/errors.h"
#include "zairyu/client/jpki_card.h"

using namespace zairyu::client;
using zairyu::client::testing::concat;
using zairyu::client::testing::hex;
using zairyu::client::testing::ScriptedTransport;

namespace {

constexpr std::string_view kSelectJpki = "00 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01";

// A fake certificate: 30 82 LL LL and a counting pattern, `total` bytes.
Bytes fake_certificate(std::size_t total) {
  Bytes c(total);
  for (std::size_t i = 0; i < total; ++i) c[i] = static_cast<std::uint8_t>(i * 7);
  c[0] = 0x30;
  c[1] = 0x82;
  c[2] = static_cast<std::uint8_t>((total - 4) >> 8);
  c[3] = static_cast<std::uint8_t>(total - 4);
  return c;
}

Bytes slice(const Bytes& b, std::size_t from, std::size_t n) {
  return Bytes(b.begin() + from, b.begin() + from + n);
}

Bytes ok(Bytes data) { return concat(std::move(data), hex("90 00")); }

Bytes read_cmd(std::size_t offset, std::size_t le) {
  return Bytes{0x00, 0xB0, static_cast<std::uint8_t>(offset >> 8),
               static_cast<std::uint8_t>(offset), static_cast<std::uint8_t>(le & 0xFF)};
}

// Fixture: a scripted transport, a channel and a JpkiCard over them.
struct Jpki {
  ScriptedTransport t;
  CardChannel channel{t};
  JpkiCard card{channel};
};

template <typename F>
std::string protocol_error_of(F&& f) {
  try {
    f();
  } catch (const CardProtocolError& e) {
    return e.what();
  }
  return "(no error)";
}

bool contains(const std::string& s, std::string_view part) {
  return s.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(jpki_certificates)

BOOST_FIXTURE_TEST_CASE(reads_in_chunks_of_256_with_le_00, Jpki) {
  const Bytes cert = fake_certificate(928);  // 30 82 03 9C
  t.expect(kSelectJpki, "90 00");
  t.expect("00 A4 02 0C 02 00 0A", "90 00");
  t.expect(read_cmd(0, 7), ok(slice(cert, 0, 7)));
  t.expect(hex("00 B0 00 07 00"), ok(slice(cert, 7, 256)));
  t.expect(hex("00 B0 01 07 00"), ok(slice(cert, 263, 256)));
  t.expect(hex("00 B0 02 07 00"), ok(slice(cert, 519, 256)));
  t.expect(hex("00 B0 03 07 99"), ok(slice(cert, 775, 153)));
  BOOST_TEST(card.read_certificate(JpkiCertificate::kAuth) == cert);
  BOOST_TEST(t.finished());

  // The application stays selected: the next read selects only the EF.
  const Bytes small = fake_certificate(10);
  t.expect("00 A4 02 0C 02 00 0B", "90 00");
  t.expect(read_cmd(0, 7), ok(slice(small, 0, 7)));
  t.expect(read_cmd(7, 3), ok(slice(small, 7, 3)));
  BOOST_TEST(card.read_certificate(JpkiCertificate::kAuthCa) == small);

  // After a reset the application is selected again.
  t.reset();
  t.expect(kSelectJpki, "90 00");
  t.expect("00 A4 02 0C 02 00 02", "90 00");
  t.expect(read_cmd(0, 7), ok(slice(small, 0, 7)));
  t.expect(read_cmd(7, 3), ok(slice(small, 7, 3)));
  BOOST_TEST(card.read_certificate(JpkiCertificate::kSignCa) == small);
  BOOST_TEST(t.finished());
}

BOOST_FIXTURE_TEST_CASE(short_chunks_advance_and_filler_is_dropped, Jpki) {
  const Bytes cert = fake_certificate(260);
  t.expect(kSelectJpki, "90 00");
  t.expect("00 A4 02 0C 02 00 0A", "90 00");
  t.expect(read_cmd(0, 7), ok(slice(cert, 0, 7)));
  t.expect(read_cmd(7, 253), ok(slice(cert, 7, 100)));
  t.expect(read_cmd(107, 153), ok(slice(cert, 107, 153)));
  BOOST_TEST(card.read_certificate(JpkiCertificate::kAuth) == cert);

  // A 5-byte certificate-like object followed by FF filler in the first read.
  t.expect("00 A4 02 0C 02 00 0A", "90 00");
  t.expect(read_cmd(0, 7), hex("30 03 02 01 05 FF FF 90 00"));
  BOOST_TEST(to_hex(card.read_certificate(JpkiCertificate::kAuth)) == "30 03 02 01 05");
}

BOOST_FIXTURE_TEST_CASE(hostile_lengths_and_answers, Jpki) {
  auto start = [&](std::string_view head) {
    t.expect("00 A4 02 0C 02 00 0A", "90 00");
    t.expect(read_cmd(0, 7), hex(head));
  };
  t.expect(kSelectJpki, "90 00");
  card.select();

  start("30 84 7F FF FF FF 00 90 00");
  BOOST_TEST(contains(protocol_error_of([&] { card.read_certificate(JpkiCertificate::kAuth); }),
                      "length field of 4 bytes is too long"));
  start("30 83 01 00 00 00 00 90 00");
  BOOST_TEST(contains(protocol_error_of([&] { card.read_certificate(JpkiCertificate::kAuth); }),
                      "declares 65541 bytes, more than the 8192 allowed"));
  start("30 82 03 90 00");  // the card ended the file inside the header
  BOOST_TEST(contains(protocol_error_of([&] { card.read_certificate(JpkiCertificate::kAuth); }),
                      "length cut short"));
  start("30 80 00 00 00 00 00 90 00");
  BOOST_TEST(contains(protocol_error_of([&] { card.read_certificate(JpkiCertificate::kAuth); }),
                      "indefinite"));
  start("90 00");
  BOOST_TEST(contains(protocol_error_of([&] { card.read_certificate(JpkiCertificate::kAuth); }),
                      "returned no data"));
  start("30 82 01 00 00 00 00 00 90 00");  // 8 bytes for Le 7
  BOOST_TEST(contains(protocol_error_of([&] { card.read_certificate(JpkiCertificate::kAuth); }),
                      "returned 8 bytes for Le 7"));
  start("FF FF FF FF FF FF FF 90 00");  // an empty EF full of filler
  BOOST_TEST(contains(protocol_error_of([&] { card.read_certificate(JpkiCertificate::kAuth); }),
                      "EF 000A (auth certificate): BER header"));
  start("04 02 00 00 90 00");
  BOOST_TEST(contains(protocol_error_of([&] { card.read_certificate(JpkiCertificate::kAuth); }),
                      "not a DER certificate"));

  // The file ends before the declared length: 6B 00 and an empty answer.
  start("30 82 01 00 01 02 03 90 00");
  t.expect(read_cmd(7, 253), hex("6B 00"));
  BOOST_TEST(contains(protocol_error_of([&] { card.read_certificate(JpkiCertificate::kAuth); }),
                      "6B00 (offset outside the file)"));
  start("30 82 01 00 01 02 03 90 00");
  t.expect(read_cmd(7, 253), hex("90 00"));
  BOOST_TEST(contains(protocol_error_of([&] { card.read_certificate(JpkiCertificate::kAuth); }),
                      "at offset 7: card returned no data"));
  BOOST_TEST(t.finished());
}

BOOST_FIXTURE_TEST_CASE(sign_certificate_needs_the_pin, Jpki) {
  t.expect(kSelectJpki, "90 00");
  t.expect("00 A4 02 0C 02 00 01", "90 00");
  t.expect(read_cmd(0, 7), hex("69 82"));
  try {
    (void)card.read_certificate(JpkiCertificate::kSign);
    BOOST_ERROR("no error");
  } catch (const CardStatusError& e) {
    BOOST_TEST(e.sw() == 0x6982);
    BOOST_TEST(contains(e.what(), "EF 0001 (sign certificate)"));
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(jpki_token_and_flags)

BOOST_FIXTURE_TEST_CASE(token_kinds, Jpki) {
  auto token_file = [](std::string_view name, std::uint8_t pad) {
    Bytes b(name.begin(), name.end());
    b.resize(32, pad);
    return ok(b);
  };
  t.expect(kSelectJpki, "90 00");
  t.expect(hex("00 A4 02 0C 02 00 06"), hex("90 00"));
  t.expect(read_cmd(0, 0x20), token_file("JPKIAPICCTOKEN2", ' '));
  JpkiToken tok = card.read_token();
  BOOST_TEST((tok.kind == JpkiToken::Kind::kMyNumberCard));
  BOOST_TEST(tok.name == "JPKIAPICCTOKEN2");

  t.expect(hex("00 A4 02 0C 02 00 06"), hex("90 00"));
  t.expect(read_cmd(0, 0x20), token_file("JPKIAPICCTOKEN", 0));
  BOOST_TEST((card.read_token().kind == JpkiToken::Kind::kJukiCard));

  t.expect(hex("00 A4 02 0C 02 00 06"), hex("90 00"));
  t.expect(read_cmd(0, 0x20), token_file("JPKIAPGPSETOKEN", ' '));
  BOOST_TEST((card.read_token().kind == JpkiToken::Kind::kAndroid));

  t.expect(hex("00 A4 02 0C 02 00 06"), hex("90 00"));
  t.expect(read_cmd(0, 0x20), token_file("SOMETHING ELSE", ' '));
  tok = card.read_token();
  BOOST_TEST((tok.kind == JpkiToken::Kind::kUnknown));
  BOOST_TEST(tok.name == "SOMETHING ELSE");

  t.expect(hex("00 A4 02 0C 02 00 06"), hex("90 00"));
  t.expect(read_cmd(0, 0x20), hex("4A 50 01 4B 90 00"));
  BOOST_TEST(contains(protocol_error_of([&] { card.read_token(); }), "non-printable byte 01"));
}

BOOST_FIXTURE_TEST_CASE(ef_0008, Jpki) {
  t.expect(kSelectJpki, "90 00");
  t.expect("00 A4 02 0C 02 00 08", "90 00");
  t.expect("00 B0 00 00 03", "8F 8F 00 90 00");
  BOOST_TEST(card.read_certificate_flags().sign_certificate_present);
  t.expect("00 A4 02 0C 02 00 08", "90 00");
  t.expect("00 B0 00 00 03", "00 8F 00 90 00");
  BOOST_TEST(!card.read_certificate_flags().sign_certificate_present);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(jpki_pins)

using Outcome = VerifyResult::Outcome;

BOOST_FIXTURE_TEST_CASE(status_without_spending_a_try, Jpki) {
  t.expect(kSelectJpki, "90 00");
  t.expect("00 A4 02 0C 02 00 18", "90 00");
  t.expect("00 20 00 80", "63 C3");
  PinStatus s = card.pin_status(JpkiKey::kAuth);
  BOOST_TEST((s.state == PinStatus::State::kTriesLeft));
  BOOST_TEST(*s.tries_left == 3);
  t.expect("00 A4 02 0C 02 00 1B", "90 00");
  t.expect("00 20 00 80", "69 84");
  s = card.pin_status(JpkiKey::kSign);
  BOOST_TEST(s.blocked());
  t.expect("00 A4 02 0C 02 00 1B", "90 00");
  t.expect("00 20 00 80", "6A 88");
  BOOST_CHECK_THROW(card.pin_status(JpkiKey::kSign), CardStatusError);
}

BOOST_FIXTURE_TEST_CASE(verify_outcomes, Jpki) {
  t.expect(kSelectJpki, "90 00");
  t.expect("00 A4 02 0C 02 00 18", "90 00");
  t.expect("00 20 00 80", "63 C3");
  t.expect("00 20 00 80 04 31 32 33 34", "90 00");
  BOOST_TEST(card.verify_pin(JpkiKey::kAuth, SecretString("1234")).ok());

  t.expect("00 A4 02 0C 02 00 18", "90 00");
  t.expect("00 20 00 80", "63 C3");
  t.expect("00 20 00 80 04 30 30 30 30", "63 C2");
  VerifyResult r = card.verify_pin(JpkiKey::kAuth, SecretString("0000"));
  BOOST_TEST((r.outcome == Outcome::kWrongPin));
  BOOST_TEST(*r.tries_left == 2);
  BOOST_TEST(t.finished());
}

BOOST_FIXTURE_TEST_CASE(last_try_is_refused_unless_forced, Jpki) {
  t.expect(kSelectJpki, "90 00");
  t.expect("00 A4 02 0C 02 00 18", "90 00");
  t.expect("00 20 00 80", "63 C1");
  VerifyResult r = card.verify_pin(JpkiKey::kAuth, SecretString("0000"));
  BOOST_TEST((r.outcome == Outcome::kRefusedLastTry));
  BOOST_TEST(*r.tries_left == 1);
  BOOST_TEST(t.finished());  // the PIN was never sent

  t.expect("00 A4 02 0C 02 00 18", "90 00");
  t.expect("00 20 00 80", "63 C1");
  t.expect("00 20 00 80 04 30 30 30 30", "63 C0");
  r = card.verify_pin(JpkiKey::kAuth, SecretString("0000"), VerifyOptions{.force_last_try = true});
  BOOST_TEST((r.outcome == Outcome::kBlocked));

  t.expect("00 A4 02 0C 02 00 18", "90 00");
  t.expect("00 20 00 80", "69 84");
  r = card.verify_pin(JpkiKey::kAuth, SecretString("1234"), VerifyOptions{.force_last_try = true});
  BOOST_TEST((r.outcome == Outcome::kBlocked));
  BOOST_TEST(t.finished());
}

BOOST_FIXTURE_TEST_CASE(sign_pin_is_uppercased_and_formats_checked, Jpki) {
  t.expect(kSelectJpki, "90 00");
  t.expect("00 A4 02 0C 02 00 1B", "90 00");
  t.expect("00 20 00 80", "63 C5");
  t.expect("00 20 00 80 06 41 42 43 31 32 33", "90 00");
  BOOST_TEST(card.verify_pin(JpkiKey::kSign, SecretString("abc123")).ok());

  const int before = t.sent();
  BOOST_CHECK_THROW((void)card.verify_pin(JpkiKey::kAuth, SecretString("123")), PinFormatError);
  BOOST_CHECK_THROW((void)card.verify_pin(JpkiKey::kAuth, SecretString("12a4")), PinFormatError);
  BOOST_CHECK_THROW((void)card.verify_pin(JpkiKey::kSign, SecretString("ab12")), PinFormatError);
  BOOST_CHECK_THROW((void)card.verify_pin(JpkiKey::kSign, SecretString("abc 123")), PinFormatError);
  BOOST_CHECK_THROW((void)card.verify_pin(JpkiKey::kSign, SecretString(std::string(17, 'A'))),
                    PinFormatError);
  try {
    (void)card.verify_pin(JpkiKey::kSign, SecretString("SECRET!9"));
  } catch (const PinFormatError& e) {
    BOOST_TEST(!contains(e.what(), "SECRET"));
  }
  BOOST_TEST(t.sent() == before);  // nothing reached the card
}

BOOST_FIXTURE_TEST_CASE(pin_is_masked_in_traces_and_absent_from_errors, Jpki) {
  std::vector<ApduTrace> traces;
  channel.set_trace_hook([&](const ApduTrace& trace) { traces.push_back(trace); });
  t.expect(kSelectJpki, "90 00");
  t.expect("00 A4 02 0C 02 00 1B", "90 00");
  t.expect("00 20 00 80", "63 C5");
  t.expect("00 20 00 80 08 50 41 53 53 57 4F 52 44", "6A 86");  // PASSWORD
  try {
    (void)card.verify_pin(JpkiKey::kSign, SecretString("password"));
    BOOST_ERROR("no error");
  } catch (const CardStatusError& e) {
    BOOST_TEST(e.sw() == 0x6A86);
    BOOST_TEST(!contains(e.what(), "PASSWORD"));
    BOOST_TEST(!contains(e.what(), "50 41 53 53"));
  }
  BOOST_TEST_REQUIRE(traces.size() == 4u);
  BOOST_TEST(to_hex(traces[3].command) == "00 20 00 80 08 2A 2A 2A 2A 2A 2A 2A 2A");
  BOOST_TEST(traces[3].masked);
  BOOST_TEST(to_hex(traces[3].response) == "6A 86");
  BOOST_TEST(!traces[2].masked);
  for (const auto& trace : traces) BOOST_TEST(!contains(to_hex(trace.command), "50 41 53 53"));
}

BOOST_FIXTURE_TEST_CASE(removal_during_verify_is_traced_masked, Jpki) {
  std::vector<ApduTrace> traces;
  channel.set_trace_hook([&](const ApduTrace& trace) { traces.push_back(trace); });
  t.expect(kSelectJpki, "90 00");
  t.expect("00 A4 02 0C 02 00 18", "90 00");
  t.expect("00 20 00 80", "63 C3");
  t.expect_removal("00 20 00 80 04 31 32 33 34");
  try {
    (void)card.verify_pin(JpkiKey::kAuth, SecretString("1234"));
    BOOST_ERROR("no error");
  } catch (const CardRemovedError& e) {
    BOOST_TEST(e.code_name() == "SCARD_W_REMOVED_CARD");
  }
  BOOST_TEST_REQUIRE(traces.size() == 4u);
  BOOST_TEST(to_hex(traces[3].command) == "00 20 00 80 04 2A 2A 2A 2A");
  BOOST_TEST(traces[3].response.empty());
}

BOOST_FIXTURE_TEST_CASE(change_pin, Jpki) {
  t.expect(kSelectJpki, "90 00");
  t.expect("00 A4 02 0C 02 00 18", "90 00");
  t.expect("00 20 00 80", "63 C3");
  t.expect("00 20 00 80 04 31 32 33 34", "90 00");
  t.expect("00 24 01 80 04 35 36 37 38", "90 00");
  BOOST_TEST(card.change_pin(JpkiKey::kAuth, SecretString("1234"), SecretString("5678")).ok());

  // A wrong current PIN: nothing is changed.
  t.expect("00 A4 02 0C 02 00 1B", "90 00");
  t.expect("00 20 00 80", "63 C5");
  t.expect("00 20 00 80 06 41 42 43 31 32 33", "63 C4");
  const VerifyResult r =
      card.change_pin(JpkiKey::kSign, SecretString("ABC123"), SecretString("NEW123"));
  BOOST_TEST((r.outcome == Outcome::kWrongPin));
  BOOST_TEST(t.finished());

  // The new sign PIN needs a letter and a digit; checked before anything is sent.
  BOOST_CHECK_THROW(
      (void)card.change_pin(JpkiKey::kSign, SecretString("ABC123"), SecretString("ABCDEFG")),
      PinFormatError);
  BOOST_TEST(t.finished());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(jpki_signature)

BOOST_AUTO_TEST_CASE(digest_info) {
  const Bytes abc{'a', 'b', 'c'};
  BOOST_TEST(to_hex(sha256_digest_info(abc)) ==
             "30 31 30 0D 06 09 60 86 48 01 65 03 04 02 01 05 00 04 20 "
             "BA 78 16 BF 8F 01 CF EA 41 41 40 DE 5D AE 22 23 "
             "B0 03 61 A3 96 17 7A 9C B4 10 FF 61 F2 00 15 AD");
  BOOST_CHECK_THROW(digest_info_from_sha256(Bytes(20)), std::invalid_argument);
}

BOOST_FIXTURE_TEST_CASE(sign_with_either_key, Jpki) {
  const Bytes di = sha256_digest_info(Bytes{'x'});
  const Bytes signature(256, 0x5A);
  t.expect(hex(kSelectJpki), hex("90 00"));
  t.expect(hex("00 A4 02 0C 02 00 17"), hex("90 00"));
  t.expect(concat(concat(hex("80 2A 00 80 33"), di), hex("00")), ok(signature));
  BOOST_TEST(card.sign(JpkiKey::kAuth, di) == signature);

  t.expect(hex("00 A4 02 0C 02 00 1A"), hex("90 00"));
  t.expect(concat(concat(hex("80 2A 00 80 33"), di), hex("00")), hex("69 82"));
  BOOST_CHECK_THROW(card.sign(JpkiKey::kSign, di), CardStatusError);

  t.expect(hex("00 A4 02 0C 02 00 1A"), hex("90 00"));
  t.expect(concat(concat(hex("80 2A 00 80 33"), di), hex("00")), ok(Bytes(255, 1)));
  BOOST_TEST(contains(protocol_error_of([&] { card.sign(JpkiKey::kSign, di); }),
                      "signature is 255 bytes, expected 256"));

  BOOST_CHECK_THROW(card.sign(JpkiKey::kAuth, Bytes{}), std::invalid_argument);
  BOOST_CHECK_THROW(card.sign(JpkiKey::kAuth, Bytes(246, 1)), std::invalid_argument);
  BOOST_TEST(t.finished());
}

BOOST_AUTO_TEST_SUITE_END()
