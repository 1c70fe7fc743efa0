// Helpers shared by the storage tests: a scratch directory, sample requests
// and records, and a full text dump of a store for comparisons.
#pragma once

#include <string>
#include <vector>

#include "emulator/online/account_service.h"
#include "emulator/online/application_service.h"
#include "emulator/online/store.h"

namespace zairyu::storage::test {

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

online::Date D(int y, unsigned m, unsigned d);

// A student extending a 1-year stay that ends 2025-09-30.
online::SubmitRequest Extension(const std::string& user_id = "user-1");
// A COE filed by organization staff, received by `how`.
online::SubmitRequest Coe(online::CoeReceipt how);
// A foreign national with a card, as registered.
online::RegisterRequest Person(const std::string& user_id = "user-1");

// What one submission writes: the application, its mail and its event.
online::StoreBatch SubmissionBatch(const std::string& id, const std::string& user_id,
                                   const std::string& token = "");

// Every record of the store as text, in store order (users: those listed).
std::vector<std::string> Dump(const online::Store& store, const std::vector<std::string>& users);

}  // namespace zairyu::storage::test
