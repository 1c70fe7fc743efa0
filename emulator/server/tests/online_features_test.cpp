// The e-notification system, password reset, the signer check, snapshots by
// name and the rule-set date, over real gRPC on 127.0.0.1:0 (see online_fixture.h).
#define BOOST_TEST_MODULE server_online_features_test
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <string>

#include "emulator/server/tests/online_fixture.h"

using namespace zairyu::server;
using namespace zairyu::server::testing;
using namespace zairyu::server::testing::fixture;

namespace {

// adult-valid (技術・人文知識・国際業務) reports a new contract.
opb::SubmitNotificationRequest new_contract(const std::string& event_date) {
  opb::SubmitNotificationRequest r;
  r.set_notification_kind(opb::NOTIFICATION_KIND_CONTRACT_ORGANIZATION);
  r.set_event(opb::NOTIFICATION_EVENT_NEW_CONTRACT);
  r.set_event_date(event_date);
  r.mutable_status()->set_name("技術・人文知識・国際業務");
  r.set_organization_name("株式会社サンプル");
  (*r.mutable_fields())["contract_start"] = event_date;
  return r;
}

grpc::Status notify(OnlineClient& c, const std::string& session,
                    const opb::SubmitNotificationRequest& request,
                    opb::SubmitNotificationResponse* response) {
  return c.online().SubmitNotification(OnlineClient::session_context(session).get(), request,
                                       response);
}

std::string mail_body(OnlineClient& c, const std::string& kind) {
  std::string body;
  for (const auto& item : c.outbox()) {
    if (item.kind() == kind) body = item.body();
  }
  return body;
}

// The text after `label` up to the end of its line.
std::string field_of(const std::string& body, const std::string& label) {
  const auto at = body.find(label);
  if (at == std::string::npos) return {};
  const auto start = at + label.size();
  return body.substr(start, body.find('\n', start) - start);
}

cpb::SnapshotInfo snapshot(OnlineClient& c, bool restore, const std::string& name,
                           grpc::Status* status = nullptr) {
  cpb::SnapshotInfo info;
  grpc::Status s;
  if (restore) {
    cpb::RestoreSnapshotRequest request;
    request.set_name(name);
    s = c.control().RestoreSnapshot(c.control_context().get(), request, &info);
  } else {
    cpb::SaveSnapshotRequest request;
    request.set_name(name);
    s = c.control().SaveSnapshot(c.control_context().get(), request, &info);
  }
  if (status) {
    *status = s;
  } else {
    BOOST_REQUIRE_MESSAGE(s.ok(), s.error_message());
  }
  return info;
}

std::vector<std::string> application_ids(OnlineClient& c, const std::string& session) {
  opb::ListApplicationsResponse list;
  const auto status = c.online().ListApplications(OnlineClient::session_context(session).get(),
                                                  opb::ListApplicationsRequest(), &list);
  BOOST_REQUIRE_MESSAGE(status.ok(), status.error_message());
  std::vector<std::string> ids;
  for (const auto& a : list.applications()) ids.push_back(a.provisional_number());
  return ids;
}

}  // namespace

// ENS-FILER-001, ENS-KIND-002, ENS-LIFE-001, ENS-DATE-001 over gRPC.
BOOST_AUTO_TEST_CASE(notifications_are_filed_mailed_and_listed) {
  Served s;
  s.client.set_time(jst(2027, 4, 20, 10));
  const std::string session = session_of(s.client, "adult-valid", "AB12345678CD");

  opb::SubmitNotificationResponse on_time;
  const auto ok = notify(s.client, session, new_contract("2027-04-10"), &on_time);
  BOOST_REQUIRE_MESSAGE(ok.ok(), ok.error_message() + " " + reason(ok));
  BOOST_TEST(on_time.notification_id() == "N20270420-000001");
  BOOST_TEST(on_time.deadline() == "2027-04-24");
  BOOST_TEST(!on_time.late());
  BOOST_TEST(count_kind(s.client.outbox(on_time.notification_id()), "NOTIFICATION_RECEIPT") == 1);

  // Late: accepted and marked (the default).
  opb::SubmitNotificationResponse late;
  BOOST_REQUIRE(notify(s.client, session, new_contract("2027-03-01"), &late).ok());
  BOOST_TEST(late.late());

  // By its Japanese title instead of the enum.
  opb::SubmitNotificationRequest by_title = new_contract("2027-04-19");
  by_title.clear_notification_kind();
  by_title.set_kind("契約機関に関する届出");
  opb::SubmitNotificationResponse titled;
  BOOST_REQUIRE(notify(s.client, session, by_title, &titled).ok());

  opb::ListNotificationsResponse list;
  BOOST_REQUIRE(s.client.online()
                    .ListNotifications(OnlineClient::session_context(session).get(),
                                       opb::ListNotificationsRequest(), &list)
                    .ok());
  BOOST_REQUIRE(list.notifications_size() == 3);
  BOOST_TEST(list.notification_ids(1) == late.notification_id());
  const auto& first = list.notifications(0);
  BOOST_TEST(first.notification_kind() == opb::NOTIFICATION_KIND_CONTRACT_ORGANIZATION);
  BOOST_TEST(first.event() == opb::NOTIFICATION_EVENT_NEW_CONTRACT);
  BOOST_TEST(first.event_date() == "2027-04-10");
  BOOST_TEST(first.organization_name() == "株式会社サンプル");
  BOOST_TEST(first.fields().at("contract_start") == "2027-04-10");
  BOOST_TEST(list.notifications(1).late());

  // Refusals with their reasons.
  opb::SubmitNotificationRequest spouse = new_contract("2027-04-10");
  spouse.set_notification_kind(opb::NOTIFICATION_KIND_SPOUSE);
  spouse.set_event(opb::NOTIFICATION_EVENT_DIVORCE);
  opb::SubmitNotificationResponse refused;
  auto status = notify(s.client, session, spouse, &refused);
  BOOST_TEST(status.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  BOOST_TEST(reason(status) == "NOTIFICATION_NOT_APPLICABLE");
  BOOST_TEST(error_info(status).metadata().at("rule_id") == "ENS-KIND-003");
  opb::SubmitNotificationRequest organization = new_contract("2027-04-10");
  organization.set_notification_kind(opb::NOTIFICATION_KIND_ORGANIZATION_ACCEPTANCE);
  organization.set_event(opb::NOTIFICATION_EVENT_ACCEPTANCE_STARTED);
  status = notify(s.client, session, organization, &refused);
  BOOST_TEST(status.error_code() == grpc::StatusCode::PERMISSION_DENIED);
  BOOST_TEST(reason(status) == "NOTIFICATION_FILER_NOT_PERMITTED");
  status = notify(s.client, session, new_contract("2027-04-21"), &refused);
  BOOST_TEST(reason(status) == "EVENT_DATE_IN_FUTURE");
  BOOST_TEST(bad_request(status).field_violations(0).field() == "event_date");
  // Malformed: each field named.
  opb::SubmitNotificationRequest empty;
  status = notify(s.client, session, empty, &refused);
  BOOST_TEST(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  BOOST_TEST(reason(status) == "REQUEST_INVALID");
  BOOST_TEST(bad_request(status).field_violations_size() == 3);
  // No session.
  status = notify(s.client, "", new_contract("2027-04-10"), &refused);
  BOOST_TEST(reason(status) == "SESSION_INVALID");
}

// ENS-DATE-001 with --refuse-late-notifications: a late 届出 is refused.
BOOST_AUTO_TEST_CASE(late_notification_refused_when_configured) {
  EnvironmentOptions o = options();
  o.refuse_late_notifications = true;
  Environment environment(o);
  auto server = EmulatorServer::start(environment, server_options(std::nullopt));
  OnlineClient client(server->port());
  client.set_time(jst(2027, 4, 20, 10));
  const std::string session = session_of(client, "adult-valid", "AB12345678CD");
  opb::SubmitNotificationResponse response;
  const auto late = notify(client, session, new_contract("2027-03-01"), &response);
  BOOST_TEST(late.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  BOOST_TEST(reason(late) == "NOTIFICATION_LATE");
  BOOST_TEST(notify(client, session, new_contract("2027-04-10"), &response).ok());
}

// RAS-USER-012 over gRPC: the code from the mail sets a new password once.
BOOST_AUTO_TEST_CASE(password_reset_by_mailed_code) {
  Served s;
  s.client.set_time(jst(2027, 4, 1, 10));
  std::string user_id;
  BOOST_REQUIRE(
      s.client.register_user("adult-valid", opb::FOREIGN_NATIONAL, "AB12345678CD", &user_id).ok());

  opb::RequestPasswordResetRequest request;
  request.set_user_id(user_id);
  request.set_email("someone-else@example.com");
  opb::RequestPasswordResetResponse requested;
  grpc::ClientContext wrong_context;
  auto status = s.client.online().RequestPasswordReset(&wrong_context, request, &requested);
  BOOST_TEST(status.error_code() == grpc::StatusCode::NOT_FOUND);
  BOOST_TEST(reason(status) == "ACCOUNT_NOT_FOUND");

  request.set_email("adult-valid@example.com");
  grpc::ClientContext context;
  status = s.client.online().RequestPasswordReset(&context, request, &requested);
  BOOST_REQUIRE_MESSAGE(status.ok(), status.error_message());
  BOOST_TEST(requested.code_expires_at().seconds() == jst(2027, 4, 2, 10));
  const std::string code = field_of(mail_body(s.client, "PASSWORD_RESET"), "再設定コード: ");
  BOOST_REQUIRE(!code.empty());

  opb::CompletePasswordResetRequest complete;
  complete.set_user_id(user_id);
  complete.set_reset_code(code);
  complete.set_new_password("brand-new");
  opb::CompletePasswordResetResponse completed;
  grpc::ClientContext complete_context;
  status = s.client.online().CompletePasswordReset(&complete_context, complete, &completed);
  BOOST_REQUIRE_MESSAGE(status.ok(), status.error_message());
  BOOST_TEST(completed.password_valid_until() == "2028-03-31");
  grpc::ClientContext again_context;
  status = s.client.online().CompletePasswordReset(&again_context, complete, &completed);
  BOOST_TEST(status.error_code() == grpc::StatusCode::UNAUTHENTICATED);
  BOOST_TEST(reason(status) == "RESET_CODE_INVALID");

  opb::LoginRequest login;
  login.set_user_id(user_id);
  login.set_password("brand-new");
  *login.mutable_card() = s.client.card("adult-valid", true);
  opb::LoginResponse logged_in;
  grpc::ClientContext login_context;
  status = s.client.online().Login(&login_context, login, &logged_in);
  BOOST_TEST(status.ok(), status.error_message());
  BOOST_TEST(reason(s.client.login("adult-valid", user_id, nullptr)) == "LOGIN_FAILED");
}

// RAS-CERT-007: the filer signs with his own card; a signature of another
// card holder's card is refused (a relative signing for a child is
// parent_files_for_the_child in online_service_test).
BOOST_AUTO_TEST_CASE(signature_of_another_card_holder_is_refused) {
  Served s;
  s.client.set_time(jst(2027, 4, 1, 10));
  const std::string session = session_of(s.client, "adult-valid", "AB12345678CD");
  opb::SubmitApplicationResponse response;
  const auto status = s.client.submit(
      session, s.client.signed_request("parent-of-child", adult_valid_form(), "other"), &response);
  BOOST_TEST(status.error_code() == grpc::StatusCode::PERMISSION_DENIED);
  BOOST_TEST(reason(status) == "SIGNER_MISMATCH");
  BOOST_TEST(error_info(status).metadata().at("rule_id") == "RAS-CERT-007");
  BOOST_TEST(count_kind(s.client.outbox(), "ACCEPTANCE_NOTICE") == 0);
  BOOST_TEST(submit_adult_valid(s.client, session, "own", &response).ok());
}

// Snapshots by name on a SQLite state file: restore brings back the
// applications, mails, clock and sessions, and numbers continue from it.
BOOST_AUTO_TEST_CASE(snapshot_and_restore_by_name) {
  TempDir dir;
  EnvironmentOptions o = options();
  o.online_state = (dir.path() / "state.db").string();
  Environment environment(o);
  auto server = EmulatorServer::start(environment, server_options(std::nullopt));
  OnlineClient client(server->port());
  client.set_time(jst(2027, 4, 1, 10));
  const std::string session = session_of(client, "adult-valid", "AB12345678CD");
  opb::SubmitApplicationResponse first;
  BOOST_REQUIRE(submit_adult_valid(client, session, "a", &first).ok());
  const cpb::SnapshotInfo saved = snapshot(client, false, "one-filed");
  BOOST_TEST(saved.applications() == 1);
  BOOST_TEST(saved.accounts() == 1);
  BOOST_TEST(saved.virtual_time().seconds() == jst(2027, 4, 1, 10));

  client.set_time(jst(2027, 4, 3, 10));  // issues the formal number
  opb::SubmitApplicationResponse second;
  BOOST_REQUIRE(submit_adult_valid(client, session, "b", &second).ok());
  BOOST_TEST(application_ids(client, session).size() == 2U);
  cpb::ResetResponse reset;
  BOOST_REQUIRE(client.control().Reset(client.control_context().get(), {}, &reset).ok());

  const cpb::SnapshotInfo restored = snapshot(client, true, "one-filed");
  BOOST_TEST(restored.applications() == 1);
  // The session of the snapshot works again; only the first application exists.
  BOOST_TEST((application_ids(client, session) == std::vector{first.provisional_number()}));
  BOOST_TEST(count_kind(client.outbox(), "RECEIPT_NUMBER_NOTICE") == 0);
  cpb::TimeResponse time;
  BOOST_REQUIRE(client.control().GetTime(client.control_context().get(), {}, &time).ok());
  BOOST_TEST(time.time().seconds() == jst(2027, 4, 1, 10));
  // The same idempotency key replays the snapshot's first filing.
  opb::SubmitApplicationResponse replay;
  BOOST_REQUIRE(submit_adult_valid(client, session, "a", &replay).ok());
  BOOST_TEST(replay.replayed());
  BOOST_TEST(replay.provisional_number() == first.provisional_number());

  cpb::ListSnapshotsResponse list;
  BOOST_REQUIRE(client.control().ListSnapshots(client.control_context().get(), {}, &list).ok());
  BOOST_REQUIRE(list.snapshots_size() == 1);
  BOOST_TEST(list.snapshots(0).name() == "one-filed");

  grpc::Status status;
  snapshot(client, true, "unknown", &status);
  BOOST_TEST(status.error_code() == grpc::StatusCode::NOT_FOUND);
  BOOST_TEST(reason(status) == "SNAPSHOT_NOT_FOUND");
  snapshot(client, false, "", &status);
  BOOST_TEST(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  cpb::DeleteSnapshotRequest remove;
  remove.set_name("one-filed");
  cpb::DeleteSnapshotResponse removed;
  BOOST_TEST(
      client.control().DeleteSnapshot(client.control_context().get(), remove, &removed).ok());
  BOOST_TEST(client.control()
                 .DeleteSnapshot(client.control_context().get(), remove, &removed)
                 .error_code() == grpc::StatusCode::NOT_FOUND);
}

namespace {

cpb::RuleSetDateResponse set_rule_set_date(OnlineClient& c, const std::string& date,
                                           grpc::Status* status = nullptr) {
  cpb::SetRuleSetDateRequest request;
  request.set_date(date);
  cpb::RuleSetDateResponse response;
  const grpc::Status s = c.control().SetRuleSetDate(c.control_context().get(), request, &response);
  if (status) {
    *status = s;
  } else {
    BOOST_REQUIRE_MESSAGE(s.ok(), s.error_message());
  }
  return response;
}

cpb::RuleSetDateResponse rule_set_date(OnlineClient& c) {
  cpb::RuleSetDateResponse response;
  const grpc::Status s = c.control().GetRuleSetDate(c.control_context().get(), {}, &response);
  BOOST_REQUIRE_MESSAGE(s.ok(), s.error_message());
  return response;
}

grpc::Status submit_two_pdfs(OnlineClient& c, const std::string& session, const std::string& key) {
  opb::SubmitApplicationResponse response;
  return c.submit(
      session,
      c.signed_request("adult-valid", adult_valid_form(), key, {pdf("a.pdf"), pdf("b.pdf")}),
      &response);
}

}  // namespace

// RAS-ATT-001/002 by the rule-set date while the clock stays in 2027: the
// date is validated, cleared by Reset, kept in snapshots.
BOOST_AUTO_TEST_CASE(rule_set_date_decides_the_rules_not_the_time) {
  Served s;
  s.client.set_time(jst(2027, 4, 1, 10));
  BOOST_TEST(rule_set_date(s.client).rule_set_date().empty());
  BOOST_TEST(rule_set_date(s.client).effective_date() == "2027-04-01");
  grpc::Status status;
  set_rule_set_date(s.client, "2026-13-01", &status);
  BOOST_TEST(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  BOOST_TEST(reason(status) == "REQUEST_INVALID");
  BOOST_TEST(bad_request(status).field_violations(0).field() == "date");

  const cpb::RuleSetDateResponse pinned = set_rule_set_date(s.client, "2026-01-04");
  BOOST_TEST(pinned.rule_set_date() == "2026-01-04");
  BOOST_TEST(pinned.effective_date() == "2026-01-04");
  const std::string session = session_of(s.client, "adult-valid", "AB12345678CD");
  status = submit_two_pdfs(s.client, session, "old");
  BOOST_TEST(reason(status) == "TOO_MANY_ATTACHMENTS");
  BOOST_TEST(error_info(status).metadata().at("rule_id") == "RAS-ATT-001");
  snapshot(s.client, false, "pinned");

  cpb::ResetResponse reset;
  BOOST_REQUIRE(s.client.control().Reset(s.client.control_context().get(), {}, &reset).ok());
  BOOST_TEST(std::count(reset.components().begin(), reset.components().end(), "online rule set") ==
             1);
  BOOST_TEST(rule_set_date(s.client).rule_set_date().empty());

  snapshot(s.client, true, "pinned");
  BOOST_TEST(rule_set_date(s.client).rule_set_date() == "2026-01-04");
  set_rule_set_date(s.client, "2026-01-05");
  BOOST_TEST(submit_two_pdfs(s.client, session, "new").ok());
  const cpb::RuleSetDateResponse cleared = set_rule_set_date(s.client, "");
  BOOST_TEST(cleared.rule_set_date().empty());
  BOOST_TEST(cleared.effective_date() == "2027-04-01");
}
