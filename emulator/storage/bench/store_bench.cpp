// Durable submissions per second: MemoryStore vs SqliteStore (file, WAL,
// synchronous=FULL, group commit) with 1, 4 and 16 concurrent submitters.
//
//   sqlite_store_bench [DIR] [COUNT]
//
// "store": each submitter does what ApplicationService::Submit does to the
// store (NextSequence, then Apply of the application, its mail and its
// event) directly. "service": the submitters share one ApplicationService, as
// the server does; see README.md for why that serializes the commits.
// A benchmark, not a test: numbers depend on the disk's fsync latency.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "emulator/online/application_service.h"
#include "emulator/online/memory_store.h"
#include "emulator/storage/sqlite_store.h"

namespace {

using namespace zairyu;
using online::JstTime;

const online::Date kDay{std::chrono::year{2025}, std::chrono::month{8}, std::chrono::day{1}};

online::SubmitRequest Request(int submitter) {
  online::SubmitRequest r;
  r.user_id = fmt::format("user-{}", submitter);
  r.user_email = r.user_id + "@example.jp";
  r.applicant_email = "student@example.jp";
  r.postal_address = "東京都新宿区西新宿2-8-1";
  r.application.filer.category = online::UserCategory::kForeignNational;
  r.application.applicant.birth_date =
      online::Date{std::chrono::year{2000}, std::chrono::month{1}, std::chrono::day{1}};
  r.application.applicant.status = {"留学", ""};
  r.application.applicant.period_of_stay = {1, 0, 0, false};
  r.application.applicant.stay_expires_on =
      online::Date{std::chrono::year{2025}, std::chrono::month{9}, std::chrono::day{30}};
  r.application.procedures = {online::Procedure::kExtensionOfStay};
  return r;
}

// The batch Submit builds, numbered by the store's counter.
void StoreSubmit(online::Store& store, const online::SubmitRequest& r) {
  const online::Instant now = JstTime(kDay, 15);
  online::ApplicationRecord a;
  a.id = fmt::format("P20250801-{:06}", store.NextSequence("provisional"));
  a.user_id = r.user_id;
  a.user_email = r.user_email;
  a.applicant_email = r.applicant_email;
  a.postal_address = r.postal_address;
  a.request = r.application;
  a.submitted_at = now;
  a.receipt_due_at = JstTime(online::AddDays(kDay, 1), 2, 10);
  online::StoreBatch b;
  b.outbox.push_back({online::Channel::kEmail, "ACCEPTANCE_NOTICE", a.user_email,
                      "【在留申請オンラインシステム】申請受付完了のお知らせ", "仮受付番号: " + a.id,
                      a.id, now, "RAS-LIFE-001"});
  b.events.push_back({now, "APPLICATION_SUBMITTED", a.id, "user " + a.user_id});
  b.applications.push_back(std::move(a));
  store.Apply(b);
}

// Runs `count` submissions split over `submitters` threads; returns per second.
double Rate(int submitters, int count, const std::function<void(int)>& submit_one) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < submitters; ++t) {
    threads.emplace_back([&, t] {
      for (int i = t; i < count; i += submitters) submit_one(t);
    });
  }
  for (auto& t : threads) t.join();
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  return count / took.count();
}

// Milliseconds per 4 KiB append + fdatasync next to the database: the floor
// of one durable commit on this disk right now.
double FsyncMs(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) std::abort();
  const std::string page(4096, 'x');
  constexpr int kRounds = 200;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kRounds; ++i) {
    if (::write(fd, page.data(), page.size()) != 4096 || ::fdatasync(fd) != 0) std::abort();
  }
  const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
  ::close(fd);
  std::filesystem::remove(path);
  return took.count() / kRounds;
}

struct Row {
  double memory = 0, sqlite = 0, per_tx = 0;
};

// One configuration on a fresh MemoryStore and a fresh SQLite file.
Row Measure(const std::string& db, int submitters, int count, bool via_service) {
  Row row;
  for (bool sqlite : {false, true}) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);
    std::unique_ptr<online::Store> store;
    if (sqlite) {
      store = storage::SqliteStore::Open(db);
    } else {
      store = std::make_unique<online::MemoryStore>();
    }
    const online::VirtualClock clock{JstTime(kDay, 15)};
    online::ApplicationService service{clock, *store};
    std::vector<online::SubmitRequest> requests;
    for (int t = 0; t < submitters; ++t) requests.push_back(Request(t));
    const double rate = Rate(submitters, count, [&](int t) {
      if (via_service) {
        if (!service.Submit(requests[static_cast<std::size_t>(t)]).ok()) std::abort();
      } else {
        StoreSubmit(*store, requests[static_cast<std::size_t>(t)]);
      }
    });
    if (sqlite) {
      const auto stats = static_cast<storage::SqliteStore&>(*store).Stats();
      row.sqlite = rate;
      row.per_tx = static_cast<double>(stats.batches) / static_cast<double>(stats.transactions);
    } else {
      row.memory = rate;
    }
  }
  return row;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string dir = argc > 1 ? argv[1] : std::filesystem::temp_directory_path().string();
  const int count = argc > 2 ? std::atoi(argv[2]) : 20000;
  const std::string db = fmt::format("{}/zairyu-store-bench-{}.db", dir, ::getpid());
  fmt::print("durable submissions/s, {} per run, SQLite file {} (WAL, synchronous=FULL)\n", count,
             db);
  const double fsync_ms = FsyncMs(db + ".probe");
  fmt::print("fdatasync of a 4 KiB append: {:.2f} ms (one commit per fsync: {:.0f}/s)\n", fsync_ms,
             1000 / fsync_ms);
  fmt::print("{:<8} {:>11} {:>14} {:>14} {:>12} {:>12}\n", "mode", "submitters", "memory/s",
             "sqlite/s", "sqlite/mem", "batches/tx");
  for (bool via_service : {false, true}) {
    const int n = count;
    for (int submitters : {1, 4, 16}) {
      const Row r = Measure(db, submitters, n, via_service);
      fmt::print("{:<8} {:>11} {:>14.0f} {:>14.0f} {:>12.3f} {:>12.1f}\n",
                 via_service ? "service" : "store", submitters, r.memory, r.sqlite,
                 r.sqlite / r.memory, r.per_tx);
      std::fflush(stdout);
    }
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);
}
