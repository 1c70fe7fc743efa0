// Environment without gRPC: reset through the registry, card state that
// survives a restart, certificate states, and the loopback-only rule of the
// server.
#define BOOST_TEST_MODULE server_environment_test
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>

#include "emulator/online/certificate_check.h"
#include "emulator/persona/pki_directory.h"
#include "emulator/server/control_error.h"
#include "emulator/server/emulator_server.h"
#include "emulator/server/environment.h"
#include "emulator/server/tests/server_test_support.h"

using namespace zairyu::server;
using namespace zairyu::server::testing;

namespace {

EnvironmentOptions options(const TempDir& state) {
  return EnvironmentOptions{.personas_dir = personas_dir(),
                            .pki_dir = pki_dir(),
                            .card_state_dir = state.path(),
                            .slot_count = 2};
}

InsertCardArgs card_of(int slot, std::string persona) {
  InsertCardArgs args;
  args.slot = slot;
  args.persona_id = std::move(persona);
  return args;
}

// Locks the auth PIN of the card in `slot` with three wrong VERIFYs.
void lock_auth_pin(Environment& environment, int slot) {
  auto& s = environment.slot(slot);
  BOOST_REQUIRE_EQUAL(sw(s.exchange(select_jpki_ap())), "90 00");
  BOOST_REQUIRE_EQUAL(sw(s.exchange(select_auth_pin_ef())), "90 00");
  for (int i = 0; i < 3; ++i) s.exchange(verify("0000"));
  BOOST_REQUIRE_EQUAL(sw(s.exchange(verify("1234"))), "69 84");
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_locked_card_stays_locked_across_restarts) {
  TempDir state;
  {
    Environment environment(options(state));
    environment.insert_card(card_of(0, "adult-valid"));
    lock_auth_pin(environment, 0);
  }
  Environment restarted(options(state));
  restarted.insert_card(card_of(1, "adult-valid"));
  BOOST_TEST(restarted.pin_status(1)[0].status.blocked);
  BOOST_TEST(std::filesystem::exists(state.path() / "adult-valid.cardstate"));
}

BOOST_AUTO_TEST_CASE(reset_restores_the_start_state_of_everything) {
  TempDir state;
  Environment environment(options(state));
  environment.insert_card(card_of(0, "adult-valid"));
  lock_auth_pin(environment, 0);
  environment.slot(1).add_fault(zairyu::slots::CardFault{});
  environment.insert_card(card_of(1, "child-14"));

  const auto names = environment.reset();
  BOOST_REQUIRE_EQUAL(names.size(), 11u);
  BOOST_TEST(names[0] == "slot 0");
  BOOST_TEST(names[1] == "slot 1");
  BOOST_TEST(names[2].starts_with("card state "));
  // Then the online system's components, each registered by itself.
  BOOST_TEST(names[3] == "online store");
  BOOST_TEST(names[9] == "resident registry");
  BOOST_TEST(names[10] == "certificate states");
  for (const auto& info : environment.list_slots()) BOOST_TEST(!info.persona_id.has_value());
  BOOST_TEST(!std::filesystem::exists(state.path() / "adult-valid.cardstate"));

  // The card is as issued again, and slot 1 has no fault left.
  environment.insert_card(card_of(0, "adult-valid"));
  BOOST_TEST(environment.pin_status(0)[0].status.tries_left == 3);
  environment.insert_card(card_of(1, "child-14"));
  BOOST_TEST(sw(environment.slot(1).exchange(select_jpki_ap())) == "90 00");
}

BOOST_AUTO_TEST_CASE(pin_overrides_are_written_to_the_card_state) {
  TempDir state;
  Environment environment(options(state));
  InsertCardArgs args = card_of(0, "adult-valid");
  args.pin_tries[zairyu::card::PinId::kInputHelper] = 0;
  environment.insert_card(args);
  BOOST_TEST(environment.pin_status(0)[2].status.blocked);
  environment.remove_card(0);
  environment.insert_card(card_of(0, "adult-valid"));
  BOOST_TEST(environment.pin_status(0)[2].status.blocked);
}

BOOST_AUTO_TEST_CASE(persistent_mode_needs_a_card_state_directory) {
  Environment environment(EnvironmentOptions{.personas_dir = personas_dir(),
                                             .pki_dir = pki_dir(),
                                             .card_state_dir = std::nullopt,
                                             .slot_count = 1});
  InsertCardArgs args = card_of(0, "adult-valid");
  args.state_mode = StateMode::kPersistent;
  try {
    environment.insert_card(args);
    BOOST_FAIL("no error");
  } catch (const ControlError& e) {
    BOOST_TEST(e.reason() == "NO_CARD_STATE_DIR");
  }
  environment.insert_card(card_of(0, "adult-valid"));
  BOOST_CHECK(environment.slot_info(0).state_mode == StateMode::kFresh);
}

BOOST_AUTO_TEST_CASE(server_listens_on_loopback_only) {
  BOOST_TEST(is_loopback_listen_address("127.0.0.1:0"));
  BOOST_TEST(is_loopback_listen_address("127.1.2.3:50051"));
  BOOST_TEST(is_loopback_listen_address("[::1]:0"));
  BOOST_TEST(is_loopback_listen_address("localhost:50051"));
  BOOST_TEST(is_loopback_listen_address("unix:/tmp/zairyu.sock"));
  BOOST_TEST(!is_loopback_listen_address("0.0.0.0:50051"));
  BOOST_TEST(!is_loopback_listen_address("[::]:50051"));
  BOOST_TEST(!is_loopback_listen_address("127.example.com:50051"));
  BOOST_TEST(!is_loopback_listen_address("192.168.1.10:50051"));
  Environment environment(EnvironmentOptions{.personas_dir = personas_dir(),
                                             .pki_dir = pki_dir(),
                                             .card_state_dir = std::nullopt,
                                             .slot_count = 1});
  BOOST_CHECK_THROW(
      EmulatorServer::start(environment,
                            ServerOptions{.listen = "0.0.0.0:0", .control_token = std::nullopt}),
      std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(persona_starting_counters_apply_to_unused_state_only) {
  // adult-valid with `card.pin_tries_left.auth: 1`, in a persona dir of its own
  // (same id, so the generated PKI still fits).
  TempDir personas;
  std::string yaml;
  {
    std::ifstream in(personas_dir() / "adult-valid.yaml");
    yaml.assign(std::istreambuf_iterator<char>(in), {});
  }
  const std::string card = "\ncard:\n";
  const auto at = yaml.find(card);
  BOOST_REQUIRE(at != std::string::npos);
  yaml.insert(at + card.size(), "  pin_tries_left:\n    auth: 1\n");
  std::ofstream(personas.path() / "adult-valid.yaml") << yaml;

  TempDir state;
  Environment environment(EnvironmentOptions{.personas_dir = personas.path(),
                                             .pki_dir = pki_dir(),
                                             .card_state_dir = state.path(),
                                             .slot_count = 1});
  environment.insert_card(card_of(0, "adult-valid"));
  BOOST_TEST(environment.pin_status(0)[0].status.tries_left == 1);
  auto& s = environment.slot(0);
  s.exchange(select_jpki_ap());
  s.exchange(select_auth_pin_ef());
  BOOST_REQUIRE_EQUAL(sw(s.exchange(verify("1234"))), "90 00");  // back to 3
  environment.remove_card(0);
  environment.insert_card(card_of(0, "adult-valid"));
  BOOST_TEST(environment.pin_status(0)[0].status.tries_left == 3);
}

namespace {

namespace card = zairyu::card;

// The DER certificate in EF `ef` (000A auth, 0001 sign: after adult-valid's
// signature PIN) of the card in `slot`.
card::Bytes read_certificate(Environment& environment, int slot, std::uint8_t ef) {
  auto& s = environment.slot(slot);
  BOOST_REQUIRE_EQUAL(sw(s.exchange(select_jpki_ap())), "90 00");
  if (ef == 0x01) {
    BOOST_REQUIRE_EQUAL(sw(s.exchange(card::from_hex("00 A4 02 0C 02 00 1B"))), "90 00");
    BOOST_REQUIRE_EQUAL(sw(s.exchange(verify("ABC123"))), "90 00");
  }
  BOOST_REQUIRE_EQUAL(sw(s.exchange(card::Bytes{0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, ef})), "90 00");
  card::Bytes data;
  for (unsigned offset = 0; offset < 0x2000; offset += 0x100) {
    const auto response = s.exchange(card::Bytes{0x00, 0xB0, static_cast<std::uint8_t>(offset >> 8),
                                                 static_cast<std::uint8_t>(offset), 0x00});
    if (sw(response) != "90 00") break;
    data.insert(data.end(), response->begin(), response->end() - 2);
  }
  BOOST_REQUIRE(data.size() > 4u);
  data.resize(4 + ((std::size_t{data[2]} << 8) | data[3]));  // 30 82 HH LL
  return data;
}

std::string check(const card::Bytes& certificate, const std::filesystem::path& ca,
                  const std::vector<card::Bytes>& crls, zairyu::online::CertificateUse use,
                  zairyu::online::Instant at) {
  const card::Bytes ca_der = zairyu::persona::PkiDirectory::read_bytes(ca);
  std::vector<zairyu::online::DerView> crl_views(crls.begin(), crls.end());
  const auto c = zairyu::online::CheckCertificate({certificate, {ca_der}, crl_views, use, at});
  return c ? c->reason : "passed";
}

}  // namespace

// RAS-CERT-002/003/004: re-issued certificates relative to the virtual clock,
// on the card in the slot (PIN counters kept), known to the resident
// registry, revoked on the emulator's CRL; Reset forgets them.
BOOST_AUTO_TEST_CASE(certificate_states_reissue_on_the_card_and_for_the_checks) {
  using zairyu::online::CertificateUse;
  const TempDir state;
  Environment environment(options(state));
  const zairyu::persona::PkiDirectory pki(pki_dir());
  const auto now = zairyu::online::JstTime(
      std::chrono::year_month_day{std::chrono::year{2026}, std::chrono::June, std::chrono::day{1}},
      10);
  environment.online().clock().Set(now);
  InsertCardArgs args = card_of(0, "adult-valid");
  args.state_mode = StateMode::kFresh;
  environment.insert_card(args);
  const card::Bytes original = read_certificate(environment, 0, 0x0A);
  environment.slot(0).exchange(select_auth_pin_ef());
  environment.slot(0).exchange(verify("0000"));  // one wrong try

  const auto expired = environment.set_certificate_state("adult-valid", CertificateKind::kAuth,
                                                         CertificateState::kExpired);
  BOOST_REQUIRE(expired.has_value());
  BOOST_TEST((read_certificate(environment, 0, 0x0A) == expired->certificate));
  BOOST_TEST((expired->certificate != original));
  BOOST_TEST(environment.pin_status(0)[0].status.tries_left == 2);
  BOOST_TEST(check(expired->certificate, pki.auth_ca_certificate(), {},
                   CertificateUse::kAuthentication, now) == "CERTIFICATE_EXPIRED");
  BOOST_TEST(
      environment.online().residents().by_auth_certificate(expired->certificate).has_value());

  const auto later = environment.set_certificate_state("adult-valid", CertificateKind::kAuth,
                                                       CertificateState::kNotYetValid);
  BOOST_TEST(check(later->certificate, pki.auth_ca_certificate(), {},
                   CertificateUse::kAuthentication, now) == "CERTIFICATE_NOT_YET_VALID");
  BOOST_TEST(!environment.online().residents().by_auth_certificate(expired->certificate));

  const auto revoked = environment.set_certificate_state("adult-valid", CertificateKind::kSign,
                                                         CertificateState::kRevoked);
  BOOST_REQUIRE(revoked && revoked->crl);
  BOOST_TEST((read_certificate(environment, 0, 0x01) == revoked->certificate));
  BOOST_TEST(check(revoked->certificate, pki.sign_ca_certificate(), {}, CertificateUse::kSignature,
                   now) == "passed");
  BOOST_TEST(check(revoked->certificate, pki.sign_ca_certificate(), {*revoked->crl},
                   CertificateUse::kSignature, now) == "CERTIFICATE_REVOKED");
  BOOST_TEST(environment.online()
                 .residents()
                 .holder_of_signature_certificate(revoked->certificate)
                 .value_or("") == "adult-valid");

  BOOST_TEST(!environment.set_certificate_state("adult-valid", CertificateKind::kAuth,
                                                CertificateState::kValid));
  BOOST_TEST((read_certificate(environment, 0, 0x0A) == original));
  BOOST_CHECK_EXCEPTION(
      environment.set_certificate_state("child-14", CertificateKind::kSign,
                                        CertificateState::kRevoked),
      ControlError, [](const ControlError& e) { return e.reason() == "CERTIFICATE_NOT_ISSUED"; });
  BOOST_CHECK_EXCEPTION(environment.set_certificate_state("nobody", CertificateKind::kAuth,
                                                          CertificateState::kExpired),
                        ControlError,
                        [](const ControlError& e) { return e.reason() == "PERSONA_NOT_FOUND"; });

  environment.reset();
  environment.insert_card(args);
  BOOST_TEST((read_certificate(environment, 0, 0x01) != revoked->certificate));
  BOOST_TEST(
      !environment.online().residents().holder_of_signature_certificate(revoked->certificate));
}
