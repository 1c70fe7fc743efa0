// kill -9 during submissions: every submission the child acknowledged is in
// the database when it is opened again, under its own number. Several rounds
// on one file, so a provisional number reissued after a crash (a counter
// that was not durable) would show as an overwritten acknowledgement.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <set>
#include <string>

#include <fmt/format.h>
#include <boost/test/unit_test.hpp>

#include "emulator/storage/sqlite_store.h"
#include "emulator/storage/tests/test_support.h"

namespace zairyu::storage {
namespace {

// Runs the child on `db`, kills it with SIGKILL after `kill_after`
// acknowledgements and returns every acknowledgement it wrote (id → token).
std::map<std::string, std::string> RunAndKill(const std::string& db, int round, int kill_after) {
  int fds[2];
  BOOST_REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);
  const std::string round_arg = std::to_string(round);
  const pid_t pid = ::fork();
  BOOST_REQUIRE(pid >= 0);
  if (pid == 0) {
    ::dup2(fds[1], STDOUT_FILENO);  // dup2 clears O_CLOEXEC on the copy
    ::execl(ZAIRYU_CRASH_CHILD, ZAIRYU_CRASH_CHILD, db.c_str(), round_arg.c_str(), "4", nullptr);
    ::_exit(127);
  }
  ::close(fds[1]);
  std::map<std::string, std::string> acked;
  std::string pending;
  bool killed = false;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // EOF: the child is gone and the pipe drained
    pending.append(buf, static_cast<std::size_t>(n));
    for (std::size_t nl; (nl = pending.find('\n')) != std::string::npos;) {
      const std::string line = pending.substr(0, nl);
      pending.erase(0, nl + 1);
      const std::size_t space = line.find(' ');
      BOOST_REQUIRE(space != std::string::npos);
      const bool fresh = acked.emplace(line.substr(0, space), line.substr(space + 1)).second;
      BOOST_REQUIRE_MESSAGE(fresh, "number acknowledged twice: " + line);
    }
    if (!killed && static_cast<int>(acked.size()) >= kill_after) {
      ::kill(pid, SIGKILL);
      killed = true;
    }
  }
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  BOOST_REQUIRE_MESSAGE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
                        "the child ended by itself, status " + std::to_string(status));
  return acked;  // a partial last line (no newline) was never acknowledged
}

BOOST_AUTO_TEST_SUITE(crash)

BOOST_AUTO_TEST_CASE(acknowledged_submissions_survive_kill_9) {
  test::TempDir dir;
  const std::string db = dir.File("state.db");
  std::map<std::string, std::string> all;  // every acknowledgement so far
  const int kill_after[] = {40, 250, 120, 400, 75};
  for (int round = 0; round < 5; ++round) {
    const auto acked = RunAndKill(db, round, kill_after[round]);
    BOOST_TEST_MESSAGE(fmt::format("round {}: {} acknowledged", round, acked.size()));
    for (const auto& [id, token] : acked) {
      BOOST_REQUIRE_MESSAGE(all.emplace(id, token).second, "number reissued after a crash: " + id);
    }
    auto store = SqliteStore::Open(db);
    std::size_t missing = 0, unnumbered = 0;
    for (const auto& [id, token] : all) {
      const auto a = store->GetApplication(id);
      if (!a || a->postal_address != token) ++missing;
      // Earlier rounds' submissions got their formal number at this round's start.
      if (a && !acked.contains(id) && !a->receipt_number) ++unnumbered;
    }
    BOOST_TEST(unnumbered == 0u);
    BOOST_TEST(missing == 0u, "round " << round << ": " << missing << " of " << all.size()
                                       << " acknowledged submissions lost");
    // Each stored submission came with its mail and event (atomic batches),
    // and no number was handed out twice, across all the crashes.
    std::set<std::string> serials, receipts;
    std::size_t applications = 0;
    for (int t = 0; t < 4; ++t) {
      for (const auto& a : store->ListApplications(fmt::format("user-{}", t))) {
        ++applications;
        BOOST_TEST(serials.insert(a.id.substr(a.id.find('-') + 1)).second, a.id);
        if (a.receipt_number) {
          BOOST_TEST(receipts.insert(*a.receipt_number).second, *a.receipt_number);
        }
      }
    }
    BOOST_TEST(applications >= all.size());
    std::size_t acceptance = 0, submitted = 0;
    for (const auto& o : store->Outbox()) acceptance += o.kind == "ACCEPTANCE_NOTICE";
    for (const auto& e : store->Events()) submitted += e.kind == "APPLICATION_SUBMITTED";
    BOOST_TEST(acceptance == applications);
    BOOST_TEST(submitted == applications);
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace zairyu::storage
