// Thin RAII layer over the SQLite C API: a connection with a cache of
// prepared statements, and a Query that binds, steps and resets one of them.
// Not thread-safe: the store gives each connection to one thread at a time.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace zairyu::storage {

// Every failure of the SQLite store; the message names the database file.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One sqlite3 handle. Statements are prepared once per SQL text and reused.
class Connection {
 public:
  // Opens (creating if needed) `path`; ":memory:" is a private in-memory DB.
  explicit Connection(std::string path);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more statements without results (pragmas, DDL, BEGIN/COMMIT).
  void Exec(const char* sql);
  // The single value of a one-row query such as "PRAGMA journal_mode=WAL".
  std::string QueryText(const char* sql);
  // The cached statement for `sql`; `sql` must be a string with static storage.
  sqlite3_stmt* Prepared(std::string_view sql);
  // False while a transaction is open.
  bool Autocommit() const;
  // Rolls back the open transaction, if any, ignoring errors (for cleanup
  // paths that already carry an exception).
  void RollbackQuietly() noexcept;
  void SetBusyTimeout(int ms);

  const std::string& path() const { return path_; }
  // Throws StoreError "<path>: <what>: <sqlite message>".
  [[noreturn]] void Fail(std::string_view what) const;

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
  std::map<const char*, sqlite3_stmt*> statements_;  // keyed by the SQL literal's address
};

// A use of a cached statement: Bind..., then Step() per row or Run(). The
// destructor resets the statement and clears its bindings for the next use.
class Query {
 public:
  Query(Connection& c, std::string_view sql);
  ~Query();
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  // Parameters are 1-based; text is copied (SQLITE_TRANSIENT).
  Query& Bind(int index, std::string_view text);
  Query& Bind(int index, std::int64_t value);
  Query& BindNullable(int index, const std::optional<std::string>& text);  // NULL when empty
  // True when a row is ready, false when done; throws on error.
  bool Step();
  // Steps to the end (statements without rows).
  void Run();

  std::string Text(int column) const;  // 0-based
  std::int64_t Int(int column) const;

 private:
  Connection& c_;
  sqlite3_stmt* stmt_;
};

}  // namespace zairyu::storage
