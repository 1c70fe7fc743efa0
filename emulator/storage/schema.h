// The SQLite schema of the emulator state and its migrations.
#pragma once

#include "emulator/storage/sqlite_db.h"

namespace zairyu::storage {

// The schema version this build writes.
inline constexpr int kSchemaVersion = 3;

// Brings the database on `c` to kSchemaVersion, one transaction per step.
// Refuses (StoreError naming the file) a database that is not ours (tables but
// no schema_version) or that a newer build wrote.
void Migrate(Connection& c);

}  // namespace zairyu::storage
