// The client session fuzz_card_responses runs against a hostile card, shared
// with fuzz_seed_recorder (which runs it against the virtual card to record
// the card's answers as seeds), so seeds and target follow the same script.
#pragma once

#include <cstdlib>
#include <functional>

#include "zairyu/client/card_channel.h"
#include "zairyu/client/certificate.h"
#include "zairyu/client/errors.h"
#include "zairyu/client/input_helper_card.h"
#include "zairyu/client/jpki_card.h"
#include "zairyu/client/parsers.h"
#include "zairyu/client/secret_string.h"
#include "zairyu/client/transport.h"

namespace zairyu::fuzz {

inline void check(bool ok) {
  if (!ok) std::abort();
}

// What an applicant's PC does with a card: JPKI token, flags, certificates,
// PIN status, VERIFY (PINs 1234 / ABC123 / 5678), both signatures, the
// signature certificate's personal data, a PIN change, then the
// input-helper AP's My Number and basic four information. Client errors
// (CardError) are answers to a hostile card and end only that step; results
// breaking their documented contract abort. `keep_going()` false (the input
// is used up) ends the session.
inline void run_client_session(client::CardTransport& transport,
                               const std::function<bool()>& keep_going) {
  using client::Bytes;
  using client::ByteView;
  client::CardChannel channel(transport);
  channel.set_trace_hook([](const client::ApduTrace& trace) { check(trace.command.size() >= 4); });
  client::JpkiCard jpki(channel);
  const Bytes digest = client::sha256_digest_info(ByteView());

  const auto step = [&](const std::function<void()>& op) {
    try {
      op();
    } catch (const client::CardError&) {
      // The documented way to refuse a card's answer.
    }
    return keep_going();
  };
  const auto check_pin_status = [](const client::PinStatus& s) {
    if (s.tries_left) check(*s.tries_left >= 0 && *s.tries_left <= 15);
  };
  const auto read_cert = [&](client::JpkiCertificate which) {
    Bytes der = jpki.read_certificate(which);
    check(der.size() <= client::kMaxCertificateSize);
    return der;
  };
  const auto sign = [&](client::JpkiKey key) {
    const Bytes signature = jpki.sign(key, digest);
    check(signature.size() == 256);  // documented: the RSA-2048 signature
  };

  const bool more =
      step([&] { jpki.select(); }) && step([&] { jpki.read_token(); }) &&
      step([&] { jpki.read_certificate_flags(); }) &&
      step([&] { read_cert(client::JpkiCertificate::kAuth); }) &&
      step([&] { read_cert(client::JpkiCertificate::kAuthCa); }) &&
      step([&] { check_pin_status(jpki.pin_status(client::JpkiKey::kAuth)); }) && step([&] {
        const auto r = jpki.verify_pin(client::JpkiKey::kAuth, client::SecretString("1234"));
        if (r.ok()) sign(client::JpkiKey::kAuth);
      }) &&
      step([&] { check_pin_status(jpki.pin_status(client::JpkiKey::kSign)); }) && step([&] {
        const auto r = jpki.verify_pin(client::JpkiKey::kSign, client::SecretString("ABC123"));
        if (!r.ok()) return;
        sign(client::JpkiKey::kSign);
        const Bytes der = read_cert(client::JpkiCertificate::kSign);
        client::parse_sign_certificate_personal_data(der);
      }) &&
      step([&] {
        const auto r = jpki.change_pin(client::JpkiKey::kAuth, client::SecretString("1234"),
                                       client::SecretString("4321"));
        static_cast<void>(r);
      });
  if (!more) return;

  client::InputHelperCard helper(channel);
  static_cast<void>(step([&] { helper.select(); }) &&
                    step([&] { check_pin_status(helper.pin_status()); }) && step([&] {
                      const auto r = helper.verify_pin(client::SecretString("5678"));
                      if (!r.ok()) return;
                      check(client::is_valid_my_number(helper.read_my_number()));
                    }) &&
                    step([&] { helper.read_basic_four(); }));
}

}  // namespace zairyu::fuzz
