// Shared set-up of the online service tests: an emulator on a free loopback
// port with the real personas, test PKI and fixtures/geo/geo.txt (the test
// target defines ZAIRYU_GEO_TABLE), a client of it, and the forms and helpers
// the tests file with.
#pragma once

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "emulator/online/jst.h"
#include "emulator/server/emulator_server.h"
#include "emulator/server/environment.h"
#include "emulator/server/tests/online_test_client.h"

namespace zairyu::server::testing::fixture {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

inline std::int64_t jst(int y, unsigned m, unsigned d, int hh = 0, int mm = 0) {
  const auto t =
      zairyu::online::JstTime(std::chrono::year_month_day{year{y}, month{m}, day{d}}, hh, mm);
  return t.time_since_epoch().count();
}

inline EnvironmentOptions options() {
  EnvironmentOptions o;
  o.personas_dir = personas_dir();
  o.pki_dir = pki_dir();
  std::ifstream in(ZAIRYU_GEO_TABLE);
  o.geo_table.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return o;
}

inline ServerOptions server_options(std::optional<std::string> token) {
  ServerOptions o;
  o.listen = "127.0.0.1:0";
  o.control_token = std::move(token);
  return o;
}

// An emulator on a free loopback port and a client of it.
struct Served {
  explicit Served(std::optional<std::string> token = std::nullopt)
      : environment(options()),
        server(EmulatorServer::start(environment, server_options(token))),
        client(server->port(), token) {}

  Environment environment;
  std::unique_ptr<EmulatorServer> server;
  OnlineClient client;
};

// adult-valid's extension of stay (period ends 2027-06-30).
inline opb::ApplicationForm extension_form(const std::string& birth, const std::string& status,
                                           const std::string& expires) {
  opb::ApplicationForm form;
  auto* a = form.mutable_applicant();
  a->set_birth_date(birth);
  a->mutable_status()->set_name(status);
  a->mutable_period_of_stay()->set_years(3);
  a->set_stay_expires_on(expires);
  form.add_procedures(opb::EXTENSION_OF_STAY);
  form.mutable_requested_status()->set_name(status);
  form.set_delivery(opb::DELIVERY_POST);
  form.set_postal_address("東京都千代田区テスト町１丁目２番３号");
  return form;
}

inline opb::ApplicationForm adult_valid_form() {
  return extension_form("1994-05-12", "技術・人文知識・国際業務", "2027-06-30");
}

// Submits adult-valid's own application (adult_valid_form, signed with his
// signature key) under `key`.
inline grpc::Status submit_adult_valid(OnlineClient& client, const std::string& session,
                                       const std::string& key,
                                       opb::SubmitApplicationResponse* response) {
  return client.submit(session, client.signed_request("adult-valid", adult_valid_form(), key),
                       response);
}

inline opb::Attachment pdf(const std::string& name) {
  opb::Attachment a;
  a.set_file_name(name);
  a.set_content_type("application/pdf");
  a.set_content("%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n");
  return a;
}

// Registers and logs in `persona` as FOREIGN_NATIONAL; returns the session.
inline std::string session_of(OnlineClient& c, const std::string& persona,
                              const std::string& card_no) {
  std::string user_id;
  const auto registered = c.register_user(persona, opb::FOREIGN_NATIONAL, card_no, &user_id);
  BOOST_REQUIRE_MESSAGE(registered.ok(), registered.error_message());
  std::string session;
  const auto logged_in = c.login(persona, user_id, &session);
  BOOST_REQUIRE_MESSAGE(logged_in.ok(), logged_in.error_message());
  return session;
}

inline int count_kind(const std::vector<cpb::OutboxItem>& items, const std::string& kind) {
  int n = 0;
  for (const auto& i : items) n += i.kind() == kind ? 1 : 0;
  return n;
}

inline std::string reason(const grpc::Status& s) { return error_info(s).reason(); }

}  // namespace zairyu::server::testing::fixture
