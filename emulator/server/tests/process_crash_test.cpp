// kill -9 of the zairyu-emulator PROCESS during concurrent submissions over
// gRPC: after a restart on the same --state file, every submission the
// emulator acknowledged is there, with its acceptance mail, new numbers do
// not collide with acknowledged ones, and a client retrying with the same
// idempotency key (acknowledged or cut off by the kill) never files twice.
// Three rounds on one file.
#define BOOST_TEST_MODULE server_process_crash_test
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "emulator/server/tests/emulator_process.h"
#include "emulator/server/tests/online_fixture.h"

using namespace zairyu::server::testing;
using namespace zairyu::server::testing::fixture;

namespace {

constexpr int kRounds = 3;
constexpr int kSubmitters = 4;
// Acknowledgements to wait for before the kill (the kill lands while the
// submitters keep going).
constexpr std::size_t kAcksBeforeKill = 30;

struct Running {
  explicit Running(const std::string& state)
      : process({"--listen", "127.0.0.1:0", "--personas", personas_dir().string(), "--pki",
                 pki_dir().string(), "--state", state}) {
    const auto line = process.line();
    BOOST_REQUIRE(line.has_value());
    BOOST_REQUIRE(line->starts_with(kListening));
    port = std::stoi(line->substr(std::string(kListening).size()));
  }
  EmulatorProcess process;
  int port = 0;
};

}  // namespace

BOOST_AUTO_TEST_CASE(acknowledged_submissions_survive_sigkill_of_the_process) {
  TempDir dir;
  const std::string state = (dir.path() / "state.db").string();
  std::set<std::string> acknowledged;
  std::map<std::string, std::string> acked_keys;  // idempotency key → number
  std::vector<std::string> cut_off;               // keys whose call the kill ended
  std::string user_id;
  for (int round = 0; round < kRounds; ++round) {
    Running emulator(state);
    OnlineClient client(emulator.port);
    client.set_time(jst(2027, 4, 1, 10));
    if (round == 0) {
      const auto status =
          client.register_user("adult-valid", opb::FOREIGN_NATIONAL, "AB12345678CD", &user_id);
      BOOST_REQUIRE_MESSAGE(status.ok(), status.error_message());
    }
    std::string session;
    const auto logged_in = client.login("adult-valid", user_id, &session);
    BOOST_REQUIRE_MESSAGE(logged_in.ok(), logged_in.error_message());

    // Everything acknowledged before this restart is still there.
    for (const std::string& id : acknowledged) {
      cpb::GetApplicationRequest get;
      get.set_provisional_number(id);
      cpb::ExaminerApplication application;
      const auto found =
          client.control().GetApplication(client.control_context().get(), get, &application);
      BOOST_TEST(found.ok(), "round " << round << ": " << id << " lost");
      BOOST_TEST(count_kind(client.outbox(id), "ACCEPTANCE_NOTICE") == 1);
    }
    // Retries after the restart: the acknowledged ones are answered with
    // their number; those cut off are filed now or were filed before the
    // kill, and either way hold a number no other key got.
    for (const auto& [key, id] : acked_keys) {
      opb::SubmitApplicationResponse again;
      BOOST_REQUIRE(submit_adult_valid(client, session, key, &again).ok());
      BOOST_TEST(again.replayed(), "round " << round << ": " << key << " filed twice");
      BOOST_TEST(again.provisional_number() == id);
    }
    for (const std::string& key : cut_off) {
      opb::SubmitApplicationResponse retried;
      BOOST_REQUIRE(submit_adult_valid(client, session, key, &retried).ok());
      BOOST_TEST(acknowledged.insert(retried.provisional_number()).second,
                 key << " got an acknowledged number");
      acked_keys.emplace(key, retried.provisional_number());
    }
    cut_off.clear();

    std::mutex mu;
    std::vector<std::pair<std::string, std::string>> acked_now;  // key, number
    std::atomic<bool> stop{false};
    std::vector<std::thread> submitters;
    for (int t = 0; t < kSubmitters; ++t) {
      submitters.emplace_back([&, t] {
        for (int i = 0; !stop; ++i) {
          const std::string key =
              std::to_string(round) + "-" + std::to_string(t) + "-" + std::to_string(i);
          opb::SubmitApplicationResponse response;
          const auto status = submit_adult_valid(client, session, key, &response);
          const std::lock_guard lock(mu);
          if (!status.ok()) {  // the emulator is gone
            cut_off.push_back(key);
            return;
          }
          acked_now.emplace_back(key, response.provisional_number());
        }
      });
    }
    for (;;) {
      {
        const std::lock_guard lock(mu);
        if (acked_now.size() >= kAcksBeforeKill) break;
      }
      std::this_thread::yield();
    }
    emulator.process.signal(SIGKILL);
    BOOST_TEST(emulator.process.wait() == -1);
    stop = true;
    for (auto& s : submitters) s.join();

    BOOST_TEST_MESSAGE("round " << round << ": " << acked_now.size() << " acknowledged");
    for (const auto& [key, id] : acked_now) {
      BOOST_TEST(acknowledged.insert(id).second, "number " << id << " handed out twice");
      acked_keys.emplace(key, id);
    }
  }
  // A last restart: everything is there and new numbers are fresh.
  Running emulator(state);
  OnlineClient client(emulator.port);
  client.set_time(jst(2027, 4, 1, 10));
  std::string session;
  BOOST_REQUIRE(client.login("adult-valid", user_id, &session).ok());
  std::size_t found = 0;
  for (const std::string& id : acknowledged) {
    cpb::GetApplicationRequest get;
    get.set_provisional_number(id);
    cpb::ExaminerApplication application;
    found += client.control().GetApplication(client.control_context().get(), get, &application).ok()
                 ? 1
                 : 0;
  }
  BOOST_TEST(found == acknowledged.size());
  opb::SubmitApplicationResponse fresh;
  BOOST_REQUIRE(submit_adult_valid(client, session, "last", &fresh).ok());
  BOOST_TEST(!acknowledged.contains(fresh.provisional_number()));
}
