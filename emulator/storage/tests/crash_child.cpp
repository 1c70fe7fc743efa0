// Crash-test child: submits applications through the online core on several
// threads (one ApplicationService each, one SqliteStore, so batches are
// group-committed) until it is killed. After each Submit returns it writes
// "<provisional number> <token>\n" to stdout: that line is the acknowledgement.
//   sqlite_store_crash_child DB ROUND THREADS
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "emulator/online/application_service.h"
#include "emulator/storage/sqlite_store.h"
#include "emulator/storage/tests/test_support.h"

int main(int argc, char** argv) {
  using namespace zairyu;
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s DB ROUND THREADS\n", argv[0]);
    return 2;
  }
  const std::string round = argv[2];
  const int threads = std::atoi(argv[3]);
  auto store = storage::SqliteStore::Open(argv[1]);
  // Each round two days later: what earlier rounds stored falls due, and one
  // service issues those receipt numbers (a large batch) before the threads start.
  const online::VirtualClock clock{
      online::JstTime(online::AddDays(storage::test::D(2025, 8, 1), 2 * std::atoi(argv[2])), 15)};
  online::ApplicationService(clock, *store).ProcessDue();
  std::mutex out_mu;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      online::ApplicationService service{clock, *store};
      for (int n = 0;; ++n) {
        online::SubmitRequest r = storage::test::Extension(fmt::format("user-{}", t));
        r.postal_address = fmt::format("r{}-t{}-{}", round, t, n);
        const auto result = service.Submit(r);
        if (!result.ok()) std::abort();
        const std::string line =
            fmt::format("{} {}\n", result.value().provisional_number, r.postal_address);
        std::lock_guard lock(out_mu);
        if (::write(STDOUT_FILENO, line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
          std::abort();
        }
      }
    });
  }
  for (auto& w : workers) w.join();
}
