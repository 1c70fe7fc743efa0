#include "emulator/storage/schema.h"

#include <array>
#include <string>

#include <fmt/format.h>

namespace zairyu::storage {
namespace {

// Step i takes the database from version i to i + 1. Never edit a step that
// has shipped; add the next one.
constexpr std::array<const char*, kSchemaVersion> kMigrations = {
    // v1. Records with nested fields are JSON (record_codec.h) beside the
    // columns that are queried. `seq` keeps submission/append order; an
    // upsert (ON CONFLICT DO UPDATE) keeps an application's seq. There are no
    // foreign keys yet: the core may store an application whose user has no
    // account (tests, control-plane seeding), and outbox/events reference
    // applications only by a free-text id that may be empty.
    R"sql(
CREATE TABLE accounts (
  user_id TEXT PRIMARY KEY CHECK (user_id <> ''),
  record  TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE applications (
  seq            INTEGER PRIMARY KEY,
  id             TEXT NOT NULL UNIQUE CHECK (id <> ''),
  user_id        TEXT NOT NULL,
  receipt_number TEXT,
  receipt_due_at INTEGER NOT NULL,
  record         TEXT NOT NULL
);
CREATE INDEX applications_by_user ON applications (user_id, seq);
CREATE INDEX applications_awaiting_receipt ON applications (seq) WHERE receipt_number IS NULL;
CREATE INDEX applications_receipt_due ON applications (receipt_due_at, seq)
  WHERE receipt_number IS NULL;
CREATE TABLE outbox (
  seq            INTEGER PRIMARY KEY,
  channel        TEXT NOT NULL CHECK (channel IN ('EMAIL', 'POST')),
  kind           TEXT NOT NULL,
  recipient      TEXT NOT NULL,
  subject        TEXT NOT NULL,
  body           TEXT NOT NULL,
  application_id TEXT NOT NULL,
  at             INTEGER NOT NULL,
  rule_id        TEXT NOT NULL
);
CREATE TABLE events (
  seq        INTEGER PRIMARY KEY,
  at         INTEGER NOT NULL,
  kind       TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  detail     TEXT NOT NULL
);
CREATE TABLE sequences (
  name  TEXT PRIMARY KEY,
  value INTEGER NOT NULL CHECK (value >= 0)
) WITHOUT ROWID;
)sql",
    // v2. E-notifications (届出), same shape as applications.
    R"sql(
CREATE TABLE notifications (
  seq     INTEGER PRIMARY KEY,
  id      TEXT NOT NULL UNIQUE CHECK (id <> ''),
  user_id TEXT NOT NULL,
  record  TEXT NOT NULL
);
CREATE INDEX notifications_by_user ON notifications (user_id, seq);
)sql",
    // v3. A submission's idempotency key (also in the record), unique per
    // user, so a retried submit finds its filing after a restart.
    R"sql(
ALTER TABLE applications ADD COLUMN idempotency_key TEXT;
CREATE UNIQUE INDEX applications_by_idempotency_key ON applications (user_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
)sql",
};

int CurrentVersion(Connection& c) {
  const bool has_version = c.QueryText(
                               "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND "
                               "name = 'schema_version'") != "0";
  if (!has_version) {
    if (c.QueryText("SELECT count(*) FROM sqlite_schema") != "0") {
      throw StoreError(fmt::format(
          "{}: not a zairyu state database (it has tables but no schema_version)", c.path()));
    }
    return 0;
  }
  const std::string v = c.QueryText("SELECT version FROM schema_version");
  if (v.empty()) throw StoreError(fmt::format("{}: schema_version has no row", c.path()));
  return std::stoi(v);
}

}  // namespace

void Migrate(Connection& c) {
  int version = CurrentVersion(c);
  if (version > kSchemaVersion) {
    throw StoreError(fmt::format("{}: schema version {} is newer than this build's ({})", c.path(),
                                 version, kSchemaVersion));
  }
  while (version < kSchemaVersion) {
    c.Exec("BEGIN IMMEDIATE");
    try {
      if (version == 0) {
        c.Exec(
            "CREATE TABLE schema_version (version INTEGER NOT NULL); "
            "INSERT INTO schema_version VALUES (0)");
      }
      c.Exec(kMigrations[static_cast<std::size_t>(version)]);
      Query(c, "UPDATE schema_version SET version = ?1").Bind(1, std::int64_t{version + 1}).Run();
      c.Exec("COMMIT");
    } catch (...) {
      c.RollbackQuietly();
      throw;
    }
    ++version;
  }
}

}  // namespace zairyu::storage
