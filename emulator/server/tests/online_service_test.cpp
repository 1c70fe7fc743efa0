// OnlineSystem and EmulatorControl over real gRPC on 127.0.0.1:0, with the
// real personas, the generated test PKI and fixtures/geo/geo.txt. Signatures
// are made with the personas' key files (the card is not needed here).
#define BOOST_TEST_MODULE server_online_service_test
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <string>

#include "emulator/online/jst.h"
#include "emulator/server/emulator_server.h"
#include "emulator/server/environment.h"
#include "emulator/server/tests/online_fixture.h"

using namespace zairyu::server;
using namespace zairyu::server::testing;
using namespace zairyu::server::testing::fixture;

BOOST_AUTO_TEST_CASE(register_login_submit_gives_provisional_then_formal_number) {
  Served s;
  s.client.set_time(jst(2027, 4, 1, 10));
  const std::string session = session_of(s.client, "adult-valid", "AB12345678CD");

  opb::SubmitApplicationResponse response;
  const auto status = s.client.submit(
      session, s.client.signed_request("adult-valid", adult_valid_form(), "k1", {pdf("a.pdf")}),
      &response);
  BOOST_REQUIRE_MESSAGE(status.ok(), status.error_message() + " " + reason(status));
  const std::string id = response.provisional_number();
  BOOST_TEST(id.starts_with("P20270401-"));
  BOOST_TEST(response.attachments(0).accepted());

  // RAS-LIFE-001: the provisional number goes out at once.
  auto mail = s.client.outbox(id);
  BOOST_TEST(count_kind(mail, "ACCEPTANCE_NOTICE") == 1);
  BOOST_TEST(count_kind(mail, "RECEIPT_NUMBER_NOTICE") == 0);

  // RAS-LIFE-002: the formal number at 02:10 JST the next day, not before.
  s.client.set_time(jst(2027, 4, 2, 2, 9));
  BOOST_TEST(count_kind(s.client.outbox(id), "RECEIPT_NUMBER_NOTICE") == 0);
  s.client.advance(120);
  BOOST_TEST(count_kind(s.client.outbox(id), "RECEIPT_NUMBER_NOTICE") == 1);

  opb::GetApplicationRequest get;
  get.set_provisional_number(id);
  opb::Application application;
  BOOST_REQUIRE(s.client.online()
                    .GetApplication(OnlineClient::session_context(session).get(), get, &application)
                    .ok());
  BOOST_TEST(application.state() == opb::RECEIVED);
  BOOST_TEST(!application.receipt_number().empty());

  // The examiner approves; the control plane sees it without side effects.
  cpb::DecideApplicationRequest decide;
  decide.set_provisional_number(id);
  decide.set_decision(cpb::DECISION_APPROVE);
  cpb::ExaminerApplication decided;
  BOOST_REQUIRE(s.client.control()
                    .DecideApplication(s.client.control_context().get(), decide, &decided)
                    .ok());
  BOOST_TEST(decided.state() == "APPROVED");
}

BOOST_AUTO_TEST_CASE(foreign_origin_is_refused_with_error_info) {
  Served s;
  s.client.add_cidr("127.0.0.0/8", "US");
  opb::Challenge challenge;
  grpc::ClientContext context;
  const auto status =
      s.client.online().GetRegistrationChallenge(&context, opb::GetChallengeRequest(), &challenge);
  BOOST_TEST(status.error_code() == grpc::StatusCode::PERMISSION_DENIED);
  const auto info = error_info(status);
  BOOST_TEST(info.reason() == "ACCESS_FROM_OUTSIDE_JAPAN");
  BOOST_TEST(info.domain() == "zairyu-lab");
  BOOST_TEST(info.metadata().at("rule_id") == "RAS-ACC-001");
}

BOOST_AUTO_TEST_CASE(open_session_ends_when_the_address_turns_foreign) {
  Served s;
  const std::string session = session_of(s.client, "adult-valid", "AB12345678CD");
  auto list = [&] {
    opb::ListApplicationsResponse response;
    return s.client.online().ListApplications(OnlineClient::session_context(session).get(),
                                              opb::ListApplicationsRequest(), &response);
  };
  BOOST_TEST(list().ok());
  s.client.add_cidr("127.0.0.0/8", "US");
  BOOST_TEST(reason(list()) == "ACCESS_FROM_OUTSIDE_JAPAN");
  s.client.add_cidr("127.0.0.0/8", "JP");
  const auto after = list();
  BOOST_TEST(after.error_code() == grpc::StatusCode::UNAUTHENTICATED);
  BOOST_TEST(reason(after) == "SESSION_INVALID");
}

BOOST_AUTO_TEST_CASE(expired_auth_certificate_fails_login) {
  Served s;
  s.client.set_time(jst(2025, 6, 1, 10));  // the certificates end 2025-09-30
  std::string user_id;
  BOOST_REQUIRE(
      s.client.register_user("adult-expired-auth", opb::FOREIGN_NATIONAL, "EF23456789GH", &user_id)
          .ok());
  s.client.set_time(jst(2026, 1, 1, 10));
  const auto status = s.client.login("adult-expired-auth", user_id, nullptr);
  BOOST_TEST(status.error_code() == grpc::StatusCode::UNAUTHENTICATED);
  BOOST_TEST(reason(status) == "CERTIFICATE_EXPIRED");
  BOOST_TEST(error_info(status).metadata().at("rule_id") == "RAS-CERT-002");
}

BOOST_AUTO_TEST_CASE(revoked_signature_certificate_fails_submission_but_not_login) {
  Served s;
  s.client.set_time(jst(2026, 7, 1, 10));
  const std::string session = session_of(s.client, "adult-revoked-sign", "IJ34567890KL");
  opb::ApplicationForm form = extension_form("1990-02-14", "経営・管理", "2026-09-30");
  opb::SubmitApplicationResponse response;
  const auto status = s.client.submit(
      session, s.client.signed_request("adult-revoked-sign", form, "k1"), &response);
  BOOST_TEST(status.error_code() == grpc::StatusCode::UNAUTHENTICATED);
  BOOST_TEST(reason(status) == "CERTIFICATE_REVOKED");
}

BOOST_AUTO_TEST_CASE(child_cannot_register_as_himself) {
  Served s;
  const auto status =
      s.client.register_user("child-14", opb::FOREIGN_NATIONAL, "MN45678901PQ", nullptr);
  BOOST_TEST(status.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  BOOST_TEST(reason(status) == "MY_NUMBER_CARD_REQUIRED");
}

BOOST_AUTO_TEST_CASE(parent_files_for_the_child) {
  Served s;
  s.client.set_time(jst(2028, 1, 10, 10));  // child-14's stay ends 2028-03-31
  std::string user_id;
  BOOST_REQUIRE(
      s.client.register_user("parent-of-child", opb::RELATIVE, "RS56789012TU", &user_id).ok());
  std::string session;
  BOOST_REQUIRE(s.client.login("parent-of-child", user_id, &session).ok());
  opb::ApplicationForm form = extension_form("2012-03-15", "家族滞在", "2028-03-31");
  form.mutable_applicant()->set_email("wang.family@example.com");
  opb::SubmitApplicationResponse response;
  const auto status = s.client.submit(
      session, s.client.signed_request("parent-of-child", form, "child-1"), &response);
  BOOST_REQUIRE_MESSAGE(status.ok(), status.error_message() + " " + reason(status));
  BOOST_TEST(!response.provisional_number().empty());
}

BOOST_AUTO_TEST_CASE(retried_submit_files_once) {
  Served s;
  s.client.set_time(jst(2027, 4, 1, 10));
  const std::string session = session_of(s.client, "adult-valid", "AB12345678CD");
  const auto request = s.client.signed_request("adult-valid", adult_valid_form(), "retry-1");
  opb::SubmitApplicationResponse first;
  opb::SubmitApplicationResponse second;
  BOOST_REQUIRE(s.client.submit(session, request, &first).ok());
  BOOST_REQUIRE(s.client.submit(session, request, &second).ok());
  BOOST_TEST(first.provisional_number() == second.provisional_number());
  BOOST_TEST(!first.replayed());
  BOOST_TEST(second.replayed());
  BOOST_TEST(count_kind(s.client.outbox(), "ACCEPTANCE_NOTICE") == 1);

  // The same key for other bytes is refused.
  opb::ApplicationForm other = adult_valid_form();
  other.set_postal_address("別の住所");
  opb::SubmitApplicationResponse third;
  const auto status =
      s.client.submit(session, s.client.signed_request("adult-valid", other, "retry-1"), &third);
  BOOST_TEST(status.error_code() == grpc::StatusCode::ALREADY_EXISTS);
  BOOST_TEST(reason(status) == "IDEMPOTENCY_KEY_REUSED");
}

BOOST_AUTO_TEST_CASE(each_malformed_submit_field_gets_a_field_violation) {
  Served s;
  s.client.set_time(jst(2027, 4, 1, 10));
  const std::string session = session_of(s.client, "adult-valid", "AB12345678CD");
  struct Case {
    std::string field;
    std::function<void(opb::SubmitApplicationRequest&)> spoil;
  };
  // Rebuilds a request whose signed form was changed by `edit`.
  auto with_form = [&](std::function<void(opb::ApplicationForm&)> edit) {
    return [&s, edit](opb::SubmitApplicationRequest& r) {
      opb::ApplicationForm form = adult_valid_form();
      edit(form);
      r = s.client.signed_request("adult-valid", form, r.idempotency_key());
    };
  };
  const std::vector<Case> cases = {
      {"idempotency_key", [](auto& r) { r.set_idempotency_key(""); }},
      {"signature", [](auto& r) { r.clear_signature(); }},
      {"signature_certificate", [](auto& r) { r.clear_signature_certificate(); }},
      {"signed_application", [](auto& r) { r.set_signed_application("\xff\xff\xff"); }},
      {"signed_application.idempotency_key", [](auto& r) { r.set_idempotency_key("other"); }},
      {"signed_application.form.applicant.birth_date",
       with_form([](auto& f) { f.mutable_applicant()->set_birth_date("1994-13-40"); })},
      {"signed_application.form.applicant.stay_expires_on",
       with_form([](auto& f) { f.mutable_applicant()->set_stay_expires_on("soon"); })},
      {"signed_application.form.applicant.period_of_stay",
       with_form([](auto& f) { f.mutable_applicant()->mutable_period_of_stay()->set_years(-1); })},
      {"signed_application.form.procedures", with_form([](auto& f) { f.clear_procedures(); })},
      {"signed_application.form.procedures[0]",
       with_form([](auto& f) { f.set_procedures(0, static_cast<opb::Procedure>(99)); })},
      {"signed_application.form.postal_address",
       with_form([](auto& f) { f.clear_postal_address(); })},
      {"signed_application.form.delivery",
       with_form([](auto& f) { f.set_delivery(static_cast<opb::Delivery>(42)); })},
  };
  int n = 0;
  for (const Case& c : cases) {
    auto request =
        s.client.signed_request("adult-valid", adult_valid_form(), "m" + std::to_string(n++));
    c.spoil(request);
    opb::SubmitApplicationResponse response;
    const auto status = s.client.submit(session, request, &response);
    BOOST_TEST_CONTEXT(c.field) {
      BOOST_TEST(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
      BOOST_TEST(reason(status) == "REQUEST_INVALID");
      const auto bad = bad_request(status);
      BOOST_REQUIRE(bad.field_violations_size() >= 1);
      BOOST_TEST(bad.field_violations(0).field() == c.field);
    }
  }
  // A file that is not the one signed.
  auto request = s.client.signed_request("adult-valid", adult_valid_form(), "att", {pdf("a.pdf")});
  request.mutable_attachments(0)->set_content("%PDF-1.4 changed");
  opb::SubmitApplicationResponse response;
  const auto status = s.client.submit(session, request, &response);
  BOOST_TEST(reason(status) == "ATTACHMENT_DIGEST_MISMATCH");
  BOOST_TEST(bad_request(status).field_violations(0).field() == "attachments[0]");
  BOOST_TEST(s.client.outbox().size() == 0u);  // nothing was filed
}

BOOST_AUTO_TEST_CASE(malformed_registration_and_login_get_field_violations) {
  Served s;
  opb::RegisterUserRequest request;
  request.set_email("x@example.com");
  opb::RegisterUserResponse response;
  grpc::ClientContext c1;
  auto status = s.client.online().RegisterUser(&c1, request, &response);
  BOOST_TEST(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  BOOST_TEST(bad_request(status).field_violations(0).field() == "category");

  request.set_category(opb::FOREIGN_NATIONAL);
  request.clear_email();
  grpc::ClientContext c2;
  status = s.client.online().RegisterUser(&c2, request, &response);
  BOOST_TEST(bad_request(status).field_violations(0).field() == "email");

  request.set_email("x@example.com");
  request.mutable_card()->set_challenge("abc");
  grpc::ClientContext c3;
  status = s.client.online().RegisterUser(&c3, request, &response);
  BOOST_TEST(bad_request(status).field_violations(0).field() == "card.signature");

  opb::LoginRequest login;
  opb::LoginResponse login_response;
  grpc::ClientContext c4;
  status = s.client.online().Login(&c4, login, &login_response);
  BOOST_TEST(bad_request(status).field_violations(0).field() == "user_id");

  // A challenge is used once.
  auto card = s.client.card("adult-valid", false);
  opb::RegisterUserRequest twice;
  twice.set_category(opb::FOREIGN_NATIONAL);
  twice.set_email("a@example.com");
  twice.set_password("pw");
  twice.set_residence_card_number("AB12345678CD");
  *twice.mutable_card() = card;
  grpc::ClientContext c5;
  BOOST_TEST(s.client.online().RegisterUser(&c5, twice, &response).ok());
  grpc::ClientContext c6;
  BOOST_TEST(reason(s.client.online().RegisterUser(&c6, twice, &response)) == "CHALLENGE_INVALID");
}

BOOST_AUTO_TEST_CASE(aimed_fault_hits_the_nth_call_only) {
  Served s;
  cpb::SetFaultRequest request;
  auto* f = request.mutable_fault();
  f->set_method("GetLoginChallenge");
  f->set_nth(2);
  f->set_action(cpb::FAULT_ACTION_STATUS);
  f->set_code(static_cast<int>(grpc::StatusCode::UNAVAILABLE));
  f->set_reason("MAINTENANCE");
  cpb::SetFaultResponse r;
  BOOST_REQUIRE(s.client.control().SetFault(s.client.control_context().get(), request, &r).ok());
  auto call = [&] {
    grpc::ClientContext context;
    opb::Challenge challenge;
    return s.client.online().GetLoginChallenge(&context, opb::GetChallengeRequest(), &challenge);
  };
  BOOST_TEST(call().ok());
  const auto second = call();
  BOOST_TEST(second.error_code() == grpc::StatusCode::UNAVAILABLE);
  BOOST_TEST(reason(second) == "MAINTENANCE");
  BOOST_TEST(call().ok());
}

BOOST_AUTO_TEST_CASE(reset_clears_the_online_state) {
  Served s;
  s.client.set_time(jst(2027, 4, 1, 10));
  const std::string session = session_of(s.client, "adult-valid", "AB12345678CD");
  opb::SubmitApplicationResponse response;
  BOOST_REQUIRE(submit_adult_valid(s.client, session, "r", &response).ok());
  cpb::ResetResponse reset;
  BOOST_REQUIRE(
      s.client.control().Reset(s.client.control_context().get(), cpb::ResetRequest(), &reset).ok());
  BOOST_TEST(s.client.outbox().empty());
  cpb::TimeResponse time;
  BOOST_REQUIRE(s.client.control()
                    .GetTime(s.client.control_context().get(), cpb::GetTimeRequest(), &time)
                    .ok());
  BOOST_TEST(time.jst() == "2026-01-01T09:00:00+09:00");
  opb::ListApplicationsResponse list;
  const auto status = s.client.online().ListApplications(
      OnlineClient::session_context(session).get(), opb::ListApplicationsRequest(), &list);
  BOOST_TEST(reason(status) == "SESSION_INVALID");
}

BOOST_AUTO_TEST_CASE(control_token_is_enforced) {
  Served s("secret");
  grpc::ClientContext bare;
  cpb::TimeResponse time;
  const auto refused = s.client.control().GetTime(&bare, cpb::GetTimeRequest(), &time);
  BOOST_TEST(refused.error_code() == grpc::StatusCode::UNAUTHENTICATED);
  BOOST_TEST(reason(refused) == "CONTROL_TOKEN_REQUIRED");
  BOOST_TEST(s.client.control()
                 .GetTime(s.client.control_context().get(), cpb::GetTimeRequest(), &time)
                 .ok());
}

BOOST_AUTO_TEST_CASE(sqlite_state_keeps_an_acknowledged_submission_across_restarts) {
  TempDir dir;
  EnvironmentOptions o = options();
  o.online_state = (dir.path() / "state.db").string();
  std::string id;
  {
    Environment environment(o);
    auto server = EmulatorServer::start(environment, server_options(std::nullopt));
    OnlineClient client(server->port());
    client.set_time(jst(2027, 4, 1, 10));
    const std::string session = session_of(client, "adult-valid", "AB12345678CD");
    opb::SubmitApplicationResponse response;
    BOOST_REQUIRE(submit_adult_valid(client, session, "d", &response).ok());
    id = response.provisional_number();
  }
  Environment environment(o);
  auto server = EmulatorServer::start(environment, server_options(std::nullopt));
  OnlineClient client(server->port());
  cpb::GetApplicationRequest request;
  request.set_provisional_number(id);
  cpb::ExaminerApplication application;
  BOOST_REQUIRE(
      client.control().GetApplication(client.control_context().get(), request, &application).ok());
  BOOST_TEST(application.state() == "PROVISIONAL");
  BOOST_TEST(client.outbox(id).size() == 1u);
}

BOOST_AUTO_TEST_CASE(dropped_call_and_latency_faults) {
  Served s;
  auto add = [&](cpb::FaultAction action, int latency_ms) {
    cpb::SetFaultRequest request;
    request.mutable_fault()->set_method("GetRegistrationChallenge");
    request.mutable_fault()->set_nth(1);
    request.mutable_fault()->set_action(action);
    *request.mutable_fault()->mutable_latency() =
        google::protobuf::util::TimeUtil::MillisecondsToDuration(latency_ms);
    cpb::SetFaultResponse r;
    return s.client.control().SetFault(s.client.control_context().get(), request, &r);
  };
  auto call = [&] {
    grpc::ClientContext context;
    opb::Challenge challenge;
    return s.client.online().GetRegistrationChallenge(&context, opb::GetChallengeRequest(),
                                                      &challenge);
  };
  BOOST_REQUIRE(add(cpb::FAULT_ACTION_DROP, 0).ok());
  BOOST_TEST(call().error_code() == grpc::StatusCode::CANCELLED);
  BOOST_TEST(call().ok());  // nth = 1: once

  cpb::ClearFaultsResponse cleared;
  BOOST_REQUIRE(
      s.client.control()
          .ClearFaults(s.client.control_context().get(), cpb::ClearFaultsRequest(), &cleared)
          .ok());
  BOOST_REQUIRE(add(cpb::FAULT_ACTION_LATENCY, 200).ok());
  const auto t0 = std::chrono::steady_clock::now();
  BOOST_TEST(call().ok());
  const auto waited = std::chrono::steady_clock::now() - t0;
  BOOST_TEST((waited >= std::chrono::milliseconds(200)));
  // A latency fault without a latency is refused with a field violation.
  const auto bad = add(cpb::FAULT_ACTION_LATENCY, 0);
  BOOST_TEST(reason(bad) == "FAULT_INVALID");
  BOOST_TEST(bad_request(bad).field_violations(0).field() == "fault.latency");
}

BOOST_AUTO_TEST_CASE(audit_events_stream_in_order) {
  Served s;
  s.client.set_time(jst(2027, 4, 1, 10));
  const std::string session = session_of(s.client, "adult-valid", "AB12345678CD");
  opb::SubmitApplicationResponse response;
  BOOST_REQUIRE(submit_adult_valid(s.client, session, "e", &response).ok());
  s.client.set_time(jst(2027, 4, 2, 3));
  cpb::StreamAuditEventsRequest request;
  auto context = s.client.control_context();
  auto reader = s.client.control().StreamAuditEvents(context.get(), request);
  std::vector<std::string> kinds;
  for (cpb::AuditEvent e; reader->Read(&e);) {
    BOOST_TEST(e.sequence() == kinds.size());
    kinds.push_back(e.kind());
  }
  BOOST_REQUIRE(reader->Finish().ok());
  // The account's own events come first; the application's two follow.
  BOOST_REQUIRE(kinds.size() >= 2u);
  BOOST_TEST(kinds[kinds.size() - 2] == "APPLICATION_SUBMITTED");
  BOOST_TEST(kinds.back() == "RECEIPT_NUMBER_ISSUED");
}

BOOST_AUTO_TEST_CASE(serves_tls_when_given_a_certificate) {
  TempDir dir;
  const auto [cert, key] = make_localhost_tls_files(dir.path());
  Environment environment(options());
  ServerOptions o = server_options(std::nullopt);
  o.tls_cert_file = cert.string();
  o.tls_key_file = key.string();
  auto server = EmulatorServer::start(environment, o);

  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = file_text(cert);
  grpc::ChannelArguments args;
  args.SetSslTargetNameOverride("localhost");
  auto channel = grpc::CreateCustomChannel("127.0.0.1:" + std::to_string(server->port()),
                                           grpc::SslCredentials(ssl), args);
  auto stub = opb::OnlineSystem::NewStub(channel);
  grpc::ClientContext context;
  opb::Challenge challenge;
  const auto status = stub->GetRegistrationChallenge(&context, {}, &challenge);
  BOOST_TEST(status.ok(), status.error_message());

  // A plaintext client gets nowhere.
  auto plain = opb::OnlineSystem::NewStub(grpc::CreateChannel(
      "127.0.0.1:" + std::to_string(server->port()), grpc::InsecureChannelCredentials()));
  grpc::ClientContext plain_context;
  plain_context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
  BOOST_TEST(!plain->GetRegistrationChallenge(&plain_context, {}, &challenge).ok());
}

BOOST_AUTO_TEST_CASE(organization_staff_need_a_valid_approval) {
  Served s;
  auto register_staff = [&](const std::string& email) {
    opb::RegisterUserRequest request;
    request.set_category(opb::ORGANIZATION_STAFF);
    request.set_email(email);
    request.set_password("staff-pw");
    request.mutable_organization()->set_organization_id("acme");
    opb::RegisterUserResponse response;
    grpc::ClientContext context;
    const auto status = s.client.online().RegisterUser(&context, request, &response);
    return std::make_pair(status, response.user_id());
  };
  BOOST_TEST(reason(register_staff("a@acme.example").first) == "ORGANIZATION_APPROVAL_REQUIRED");

  cpb::SetOrganizationApprovalRequest approval;
  approval.set_organization_id("acme");
  approval.set_approved_on("2025-12-01");
  cpb::SetOrganizationApprovalResponse approved;
  BOOST_REQUIRE(s.client.control()
                    .SetOrganizationApproval(s.client.control_context().get(), approval, &approved)
                    .ok());
  BOOST_TEST(approved.expires_on() == "2026-12-01");  // RAS-USER-005: one year
  const auto [status, user_id] = register_staff("a@acme.example");
  BOOST_REQUIRE_MESSAGE(status.ok(), status.error_message());

  auto login = [&] {
    opb::LoginRequest request;
    request.set_user_id(user_id);
    request.set_password("staff-pw");
    opb::LoginResponse response;
    grpc::ClientContext context;
    return s.client.online().Login(&context, request, &response);
  };
  BOOST_TEST(login().ok());  // no card for staff
  s.client.set_time(jst(2026, 12, 15, 10));
  BOOST_TEST(reason(login()) == "ORGANIZATION_APPROVAL_EXPIRED");
}

BOOST_AUTO_TEST_CASE(lawyers_log_in_with_their_notification_certificate) {
  Served s;
  opb::RegisterUserRequest request;
  request.set_category(opb::LAWYER_OR_SCRIVENER);
  request.set_email("office@law.example");
  request.set_password("law-pw");
  request.set_notification_certificate_number("TOKYO-2024-0042");
  opb::RegisterUserResponse registered;
  grpc::ClientContext context;
  BOOST_REQUIRE(s.client.online().RegisterUser(&context, request, &registered).ok());

  auto login = [&](const std::string& number) {
    opb::LoginRequest r;
    r.set_user_id(registered.user_id());
    r.set_password("law-pw");
    r.set_notification_certificate_number(number);
    opb::LoginResponse response;
    grpc::ClientContext c;
    return s.client.online().Login(&c, r, &response);
  };
  BOOST_TEST(login("TOKYO-2024-0042").ok());
  BOOST_TEST(reason(login("OSAKA-1")) == "LOGIN_FAILED");

  request.clear_notification_certificate_number();
  grpc::ClientContext again;
  BOOST_TEST(reason(s.client.online().RegisterUser(&again, request, &registered)) ==
             "NOTIFICATION_CERTIFICATE_REQUIRED");
}

BOOST_AUTO_TEST_CASE(forwarded_for_counts_only_from_trusted_proxies) {
  Served s;
  auto call_from = [&](const std::string& forwarded) {
    grpc::ClientContext context;
    context.AddMetadata("x-forwarded-for", forwarded);
    opb::Challenge challenge;
    return s.client.online().GetRegistrationChallenge(&context, opb::GetChallengeRequest(),
                                                      &challenge);
  };
  // Loopback is not a trusted proxy yet: the header is ignored.
  BOOST_TEST(call_from("198.51.100.7").ok());

  cpb::SetTrustedProxiesRequest proxies;
  proxies.add_cidrs("127.0.0.1");
  cpb::SetTrustedProxiesResponse r;
  BOOST_REQUIRE(
      s.client.control().SetTrustedProxies(s.client.control_context().get(), proxies, &r).ok());
  BOOST_TEST(reason(call_from("198.51.100.7")) == "ACCESS_FROM_OUTSIDE_JAPAN");  // US
  BOOST_TEST(reason(call_from("203.0.113.9")) == "ACCESS_FROM_OUTSIDE_JAPAN");   // VN
  BOOST_TEST(call_from("192.0.2.5").ok());                                       // JP
  BOOST_TEST(reason(call_from("not-an-address")) == "ACCESS_FROM_OUTSIDE_JAPAN");
}
