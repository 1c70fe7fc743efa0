// zairyu_client_online over real gRPC on loopback: the in-process emulator
// server (EmulatorServer on 127.0.0.1:0) and the persona's virtual card over
// the in-process transport, signing on the card through JpkiSigner.
#define BOOST_TEST_MODULE client_online_tests
#include <boost/test/unit_test.hpp>

#include <grpcpp/server_builder.h>

#include <fstream>
#include <iterator>

#include "emulator/online/jst.h"
#include "emulator/server/emulator_server.h"
#include "emulator/server/environment.h"
#include "emulator/server/tests/online_test_client.h"
#include "inprocess_transport.h"
#include "zairyu/client/errors.h"
#include "zairyu/client/jpki_signer.h"
#include "zairyu/client/online_client.h"

namespace client = zairyu::client;
namespace server = zairyu::server;
namespace cpb = zairyu::emulator::v1;
using client::JpkiKey;
using client::SecretString;

namespace {

const std::string kForms = ZAIRYU_FORMS_DIR;
const std::string kResidenceCard = "AB12345678CD";  // fixtures/personas/adult-valid.yaml

// 2027-04-15 09:00 JST: adult-valid's stay ends 2027-06-30, so an extension
// may be filed (from three months before) and the certificates are valid.
zairyu::online::Instant filing_day() {
  using namespace std::chrono;
  return zairyu::online::JstTime(year_month_day{year{2027}, April, day{15}}, 9);
}

server::EnvironmentOptions environment_options() {
  server::EnvironmentOptions o;
  o.personas_dir = server::testing::personas_dir();
  o.pki_dir = server::testing::pki_dir();
  o.start_time = filing_day();
  return o;
}

// An emulator on a free loopback port with adult-valid's card in slot 0, the
// card reached in process, and a control client for checks and faults.
struct Served {
  explicit Served(server::ServerOptions server_options = loopback())
      : environment(environment_options()),
        emulator(server::EmulatorServer::start(environment, std::move(server_options))),
        control(emulator->port()),
        transport(insert("adult-valid")),
        channel(transport),
        jpki(channel) {}

  static server::ServerOptions loopback() {
    server::ServerOptions o;
    o.listen = "127.0.0.1:0";
    return o;
  }
  std::shared_ptr<zairyu::card::Card> insert(const std::string& persona) {
    server::InsertCardArgs args;
    args.persona_id = persona;
    environment.insert_card(args);
    return environment.slot(0).card();
  }
  client::ServerOptions options() const {
    client::ServerOptions o;
    o.address = "127.0.0.1:" + std::to_string(emulator->port());
    o.retry_backoff = std::chrono::milliseconds(0);
    return o;
  }
  void fault(const std::string& method, int code, const std::string& reason) {
    cpb::SetFaultRequest request;
    request.mutable_fault()->set_method(method);
    request.mutable_fault()->set_nth(1);
    request.mutable_fault()->set_action(cpb::FAULT_ACTION_STATUS);
    request.mutable_fault()->set_code(code);
    request.mutable_fault()->set_reason(reason);
    cpb::SetFaultResponse response;
    BOOST_REQUIRE(
        control.control().SetFault(control.control_context().get(), request, &response).ok());
  }

  server::Environment environment;
  std::unique_ptr<server::EmulatorServer> emulator;
  server::testing::OnlineClient control;
  zairyu::inprocess::InProcessTransport transport;
  client::CardChannel channel;
  client::JpkiCard jpki;
};

client::Registration adult_valid_registration() {
  client::Registration r;
  r.category = client::UserCategory::kForeignNational;
  r.email = "nguyen.van.an@example.com";
  r.password = SecretString("correct horse 1");
  r.residence_card_number = kResidenceCard;
  return r;
}

// Registers and logs in adult-valid with its card; returns the user ID.
std::string log_in(Served& s, client::OnlineClient& online) {
  client::JpkiSigner auth(s.jpki, JpkiKey::kAuth, SecretString("1234"));
  const std::string user_id = online.register_user(adult_valid_registration(), &auth);
  online.login({user_id, SecretString("correct horse 1"), {}}, &auth);
  return user_id;
}

// Runs `f`, which must throw OnlineError; returns it.
template <typename F>
client::OnlineError online_error(F&& f) {
  try {
    f();
  } catch (const client::OnlineError& e) {
    return e;
  }
  BOOST_FAIL("no OnlineError");
  throw std::logic_error("unreachable");
}

int count_kind(const std::vector<cpb::OutboxItem>& items, const std::string& kind) {
  int n = 0;
  for (const auto& i : items) n += i.kind() == kind ? 1 : 0;
  return n;
}

}  // namespace

BOOST_AUTO_TEST_CASE(register_login_and_file_an_extension) {
  Served s;
  client::OnlineClient online(s.options());
  const std::string user_id = log_in(s, online);
  BOOST_TEST(!user_id.empty());
  BOOST_TEST(online.logged_in());
  BOOST_TEST((online.session().category == client::UserCategory::kForeignNational));
  BOOST_TEST(!online.session().password_valid_until.empty());

  client::JpkiSigner sign(s.jpki, JpkiKey::kSign, SecretString("abc123"));  // upper-cased
  const auto form = client::load_form_file(kForms + "/extension-with-pdf.yaml");
  const auto result = online.submit(form, sign);
  BOOST_TEST(result.provisional_number.starts_with("P2027"));
  BOOST_TEST(!result.replayed);
  BOOST_TEST(result.idempotency_key.size() == 32u);
  BOOST_REQUIRE(result.attachments.size() == 1u);
  BOOST_TEST(result.attachments[0].file_name == "在職証明書.pdf");
  BOOST_TEST(result.attachments[0].accepted);

  const auto status = online.status(result.provisional_number);
  BOOST_TEST(status.state == "PROVISIONAL");
  BOOST_TEST(status.user_id == user_id);
  BOOST_TEST((status.procedures == std::vector{client::Procedure::kExtensionOfStay}));
  BOOST_TEST(status.submitted_at.starts_with("2027-04-15T00:00:00"));
  BOOST_TEST(online.list_applications().size() == 1u);

  const auto mail = s.control.outbox(result.provisional_number);
  BOOST_TEST(count_kind(mail, "ACCEPTANCE_NOTICE") == 1);
  BOOST_TEST(online.rpc_timing().calls == 7u);  // 2 challenges, register, login, submit, 2 reads
  BOOST_TEST(online.rpc_timing().total.count() > 0);
}

BOOST_AUTO_TEST_CASE(a_retried_submit_files_once) {
  Served s;
  client::OnlineClient online(s.options());
  log_in(s, online);
  client::JpkiSigner sign(s.jpki, JpkiKey::kSign, SecretString("ABC123"));
  const auto form = client::load_form_file(kForms + "/extension.yaml");

  // The first attempt fails as if the network dropped it; the client sends
  // the same key and bytes again.
  s.fault("SubmitApplication", static_cast<int>(grpc::StatusCode::UNAVAILABLE), "TEST_DROP");
  const auto calls = online.rpc_timing().calls;
  const auto first = online.submit(form, sign, "key-1");
  BOOST_TEST(online.rpc_timing().calls == calls + 2);
  BOOST_TEST(!first.replayed);

  // Submitting again with the same key: the server's earlier answer.
  const auto again = online.submit(form, sign, "key-1");
  BOOST_TEST(again.replayed);
  BOOST_TEST(again.provisional_number == first.provisional_number);
  BOOST_TEST(online.list_applications().size() == 1u);

  // The same key for another application is refused.
  auto other = form;
  other.delivery = client::ApplicationForm::Delivery::kCounter;
  const auto e = online_error([&] { online.submit(other, sign, "key-1"); });
  BOOST_TEST(e.code_name() == "ALREADY_EXISTS");
  BOOST_TEST(e.reason() == "IDEMPOTENCY_KEY_REUSED");
}

BOOST_AUTO_TEST_CASE(refusals_carry_reason_rule_and_fields) {
  Served s;
  client::OnlineClient online(s.options());
  const std::string user_id = log_in(s, online);

  auto e = online_error([&] {
    client::OnlineClient other(s.options());
    client::JpkiSigner auth(s.jpki, JpkiKey::kAuth, SecretString("1234"));
    other.login({user_id, SecretString("wrong password"), {}}, &auth);
  });
  BOOST_TEST(e.code_name() == "UNAUTHENTICATED");
  BOOST_TEST(e.reason() == "LOGIN_FAILED");
  BOOST_TEST(e.rule_id() == "RAS-USER-011");
  BOOST_TEST(std::string(e.what()).find("Login refused") != std::string::npos, e.what());
  BOOST_TEST(std::string(e.what()).find("wrong password") == std::string::npos);

  // Local validation passes; the server refuses a re-entry permit alone and
  // names the field.
  client::JpkiSigner sign(s.jpki, JpkiKey::kSign, SecretString("ABC123"));
  auto form = client::load_form_file(kForms + "/extension.yaml");
  form.procedures = {client::Procedure::kReentryPermit};
  e = online_error([&] { online.submit(form, sign); });
  BOOST_TEST(e.code_name() == "INVALID_ARGUMENT");
  BOOST_TEST(e.reason() == "PROCEDURE_REQUIRES_COMPANION");
  BOOST_TEST(!e.violations().empty());

  // Local validation refuses before anything is signed or sent.
  const auto calls = online.rpc_timing().calls;
  form.applicant.birth_date = "1994-02-30";
  try {
    online.submit(form, sign);
    BOOST_ERROR("no FormError");
  } catch (const client::FormError& f) {
    BOOST_TEST(f.violations().front().field == "applicant.birth_date");
  }
  BOOST_TEST(online.rpc_timing().calls == calls);

  e = online_error([&] { online.status("P20270415-999999"); });
  BOOST_TEST(e.code_name() == "NOT_FOUND");

  // A forged session token.
  client::OnlineClient forged(s.options());
  forged.resume_session({user_id, client::UserCategory::kForeignNational, ""},
                        SecretString("not-a-token"));
  e = online_error([&] { forged.list_applications(); });
  BOOST_TEST(e.reason() == "SESSION_INVALID");

  client::OnlineClient anonymous(s.options());
  e = online_error([&] { anonymous.list_applications(); });
  BOOST_TEST(e.reason() == "NOT_LOGGED_IN");
  BOOST_TEST(anonymous.rpc_timing().calls == 0u);
}

BOOST_AUTO_TEST_CASE(pending_proof_and_password_change) {
  Served s;
  client::OnlineClient online(s.options());
  const std::string user_id = log_in(s, online);
  client::JpkiSigner sign(s.jpki, JpkiKey::kSign, SecretString("ABC123"));
  const auto filed = online.submit(client::load_form_file(kForms + "/extension.yaml"), sign);
  // No proof before the receipt number is issued.
  const auto e = online_error([&] { online.pending_proof(filed.provisional_number); });
  BOOST_TEST(e.code_name() == "FAILED_PRECONDITION");
  BOOST_TEST(e.reason() == "APPLICATION_STATE_INVALID");
  // After the stay ended, within the special period (two months).
  using namespace std::chrono;
  s.control.set_time(zairyu::online::JstTime(year_month_day{year{2027}, July, day{5}}, 10)
                         .time_since_epoch()
                         .count());
  const auto proof = online.pending_proof(filed.provisional_number);
  BOOST_TEST(proof.in_special_period);
  BOOST_TEST(proof.stay_expires_on == "2027-06-30");
  BOOST_TEST(!proof.receipt_number.empty());
  s.control.set_time(filing_day().time_since_epoch().count());

  online.change_password(user_id, SecretString("correct horse 1"), SecretString("battery st 2"));
  client::OnlineClient again(s.options());
  client::JpkiSigner auth(s.jpki, JpkiKey::kAuth, SecretString("1234"));
  BOOST_TEST(again.login({user_id, SecretString("battery st 2"), {}}, &auth).user_id == user_id);
}

BOOST_AUTO_TEST_CASE(notifications_and_password_reset) {
  Served s;
  client::OnlineClient online(s.options());
  const std::string user_id = log_in(s, online);
  client::Notification n;
  n.kind = "CONTRACT_ORGANIZATION";
  n.event = "contract_ended";
  n.event_date = "2027-04-10";
  n.status = client::StatusOfResidence{"技術・人文知識・国際業務", ""};
  n.organization_name = "テスト株式会社";
  const auto receipt = online.submit_notification(n);
  BOOST_TEST(!receipt.notification_id.empty());
  BOOST_TEST(receipt.deadline == "2027-04-24");
  BOOST_TEST(!receipt.late);
  const auto list = online.list_notifications();
  BOOST_REQUIRE(list.size() == 1u);
  BOOST_TEST(list[0].receipt.notification_id == receipt.notification_id);
  BOOST_TEST(list[0].kind == "CONTRACT_ORGANIZATION");
  BOOST_TEST(list[0].event == "CONTRACT_ENDED");
  BOOST_TEST(list[0].organization_name == "テスト株式会社");
  n.event = "wedding";
  BOOST_CHECK_THROW(online.submit_notification(n), std::invalid_argument);

  BOOST_TEST(!online.request_password_reset(user_id, "nguyen.van.an@example.com").empty());
  auto e = online_error([&] { online.request_password_reset(user_id, "other@example.com"); });
  BOOST_TEST(e.reason() == "ACCOUNT_NOT_FOUND");
  e = online_error([&] {
    online.complete_password_reset(user_id, SecretString("000000"), SecretString("new pw 3"));
  });
  BOOST_TEST(e.reason() == "RESET_CODE_INVALID");
}

BOOST_AUTO_TEST_CASE(only_safe_calls_are_retried) {
  // Nothing listens on the port of a server that was shut down.
  int port = 0;
  {
    Served s;
    port = s.emulator->port();
  }
  client::ServerOptions o;
  o.address = "127.0.0.1:" + std::to_string(port);
  o.retry_backoff = std::chrono::milliseconds(0);
  o.retries = 2;
  client::OnlineClient online(o);
  online.resume_session({"U1", client::UserCategory::kForeignNational, ""}, SecretString("t"));
  auto e = online_error([&] { online.list_applications(); });
  BOOST_TEST(e.code_name() == "UNAVAILABLE");
  BOOST_TEST(std::string(e.what()).find("cannot reach the online system at 127.0.0.1:") == 0u,
             e.what());
  BOOST_TEST(online.rpc_timing().calls == 3u);  // a read: first try and two retries

  e = online_error([&] { online.change_password("U1", SecretString("a"), SecretString("b")); });
  BOOST_TEST(e.code_name() == "UNAVAILABLE");
  BOOST_TEST(online.rpc_timing().calls == 4u);  // not retried
}

BOOST_AUTO_TEST_CASE(unimplemented_calls_are_named) {
  // A gRPC server that offers no service at all.
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  const auto bare = builder.BuildAndStart();
  client::ServerOptions o;
  o.address = "127.0.0.1:" + std::to_string(port);
  client::OnlineClient online(o);
  auto e = online_error([&] { online.request_password_reset("U1", "a@example.com"); });
  BOOST_TEST(e.code_name() == "UNIMPLEMENTED");
  BOOST_TEST(std::string(e.what()).find("does not offer RequestPasswordReset") != std::string::npos,
             e.what());
  online.resume_session({"U1", client::UserCategory::kForeignNational, ""}, SecretString("t"));
  client::Notification notification;
  notification.kind = "契約機関に関する届出";
  notification.event = "CONTRACT_ENDED";
  e = online_error([&] { online.notify(notification); });
  BOOST_TEST(e.code_name() == "UNIMPLEMENTED");
  BOOST_TEST(std::string(e.what()).find("SubmitNotification") != std::string::npos);
  e = online_error([&] { online.list_notifications(); });
  BOOST_TEST(e.code_name() == "UNIMPLEMENTED");
  bare->Shutdown();
}

BOOST_AUTO_TEST_CASE(tls_with_a_root_file) {
  server::testing::TempDir dir;
  const auto [cert, key] = server::testing::make_localhost_tls_files(dir.path());
  auto tls = Served::loopback();
  tls.tls_cert_file = cert.string();
  tls.tls_key_file = key.string();
  Served s(tls);

  auto o = s.options();
  o.tls_root_certificates_file = cert.string();
  o.tls_server_name = "localhost";
  client::OnlineClient online(o);
  BOOST_TEST(!log_in(s, online).empty());

  // Plaintext against TLS fails as unreachable; a missing root file is a usage error.
  o.tls_root_certificates_file.reset();
  o.retries = 0;
  client::OnlineClient plain(o);
  client::JpkiSigner auth(s.jpki, JpkiKey::kAuth, SecretString("1234"));
  BOOST_TEST(online_error([&] {
               plain.register_user(adult_valid_registration(), &auth);
             }).code_name() == "UNAVAILABLE");
  o.tls_root_certificates_file = (dir.path() / "missing.pem").string();
  BOOST_CHECK_THROW(client::OnlineClient{o}, std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(card_categories_need_the_card) {
  Served s;
  client::OnlineClient online(s.options());
  BOOST_CHECK_THROW(online.register_user(adult_valid_registration(), nullptr),
                    std::invalid_argument);
  BOOST_TEST(online.rpc_timing().calls == 0u);
  BOOST_TEST(client::needs_card(client::UserCategory::kRelative));
  BOOST_TEST(!client::needs_card(client::UserCategory::kLawyerOrScrivener));
  BOOST_TEST((client::parse_user_category("外国人本人") == client::UserCategory::kForeignNational));
  BOOST_CHECK_THROW(client::parse_user_category("tourist"), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE(jpki_signer)

BOOST_AUTO_TEST_CASE(a_wrong_pin_is_never_sent_twice) {
  Served s;
  client::JpkiSigner auth(s.jpki, JpkiKey::kAuth, SecretString("9999"));
  const std::vector<std::uint8_t> message{1, 2, 3};
  try {
    auth.sign(message);
    BOOST_ERROR("no PinRefusedError");
  } catch (const client::PinRefusedError& e) {
    BOOST_TEST(*e.result().tries_left == 2);
    BOOST_TEST(std::string(e.what()) == "wrong PIN: 2 tries left (auth PIN)");
  }
  BOOST_CHECK_THROW(auth.sign(message), client::PinRefusedError);
  BOOST_TEST(*s.jpki.pin_status(JpkiKey::kAuth).tries_left == 2);  // no second try spent
}

BOOST_AUTO_TEST_CASE(the_pin_is_presented_again_after_a_reset) {
  Served s;
  client::JpkiSigner sign(s.jpki, JpkiKey::kSign, SecretString("ABC123"));
  const std::vector<std::uint8_t> message{1, 2, 3};
  const auto first = sign.sign(message);
  s.transport.reset();
  BOOST_TEST(sign.sign(message) == first);  // PKCS#1 v1.5 is deterministic
  BOOST_TEST(*s.jpki.pin_status(JpkiKey::kSign).tries_left == 5);
  BOOST_TEST(!sign.certificate().empty());
}

BOOST_AUTO_TEST_CASE(card_removed_in_the_middle_of_a_submission) {
  Served s;
  client::OnlineClient online(s.options());
  log_in(s, online);
  client::JpkiSigner sign(s.jpki, JpkiKey::kSign, SecretString("ABC123"));
  s.transport.remove();
  const auto calls = online.rpc_timing().calls;
  BOOST_CHECK_THROW(online.submit(client::load_form_file(kForms + "/extension.yaml"), sign),
                    client::CardRemovedError);
  BOOST_TEST(online.rpc_timing().calls == calls);  // nothing sent unsigned
  s.transport.insert();
  BOOST_TEST(!online.submit(client::load_form_file(kForms + "/extension.yaml"), sign)
                  .provisional_number.empty());
}

BOOST_AUTO_TEST_SUITE_END()
