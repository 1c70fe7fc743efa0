#include "emulator/storage/sqlite_db.h"

#include <sqlite3.h>

#include <fmt/format.h>

namespace zairyu::storage {

Connection::Connection(std::string path) : path_(std::move(path)) {
  // NOMUTEX: the store never shares one connection between threads at once.
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path_.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    const std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    throw StoreError(fmt::format("{}: cannot open: {}", path_, message));
  }
  sqlite3_extended_result_codes(db_, 1);
}

Connection::~Connection() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

void Connection::Fail(std::string_view what) const {
  throw StoreError(fmt::format("{}: {}: {}", path_, what, sqlite3_errmsg(db_)));
}

void Connection::Exec(const char* sql) {
  if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) Fail(sql);
}

std::string Connection::QueryText(const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql, -1, &stmt, nullptr) != SQLITE_OK) Fail(sql);
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> owned(stmt, sqlite3_finalize);
  const int rc = sqlite3_step(stmt);
  if (rc == SQLITE_DONE) return "";
  if (rc != SQLITE_ROW) Fail(sql);
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  return text ? text : "";
}

sqlite3_stmt* Connection::Prepared(std::string_view sql) {
  auto it = statements_.find(sql.data());
  if (it != statements_.end()) return it->second;
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) Fail(fmt::format("prepare \"{}\"", sql));
  statements_.emplace(sql.data(), stmt);
  return stmt;
}

bool Connection::Autocommit() const { return sqlite3_get_autocommit(db_) != 0; }

void Connection::RollbackQuietly() noexcept {
  if (!Autocommit()) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

void Connection::SetBusyTimeout(int ms) { sqlite3_busy_timeout(db_, ms); }

Query::Query(Connection& c, std::string_view sql) : c_(c), stmt_(c.Prepared(sql)) {}

Query::~Query() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Query& Query::Bind(int index, std::string_view text) {
  if (sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()),
                        SQLITE_TRANSIENT) != SQLITE_OK) {
    c_.Fail("bind");
  }
  return *this;
}

Query& Query::Bind(int index, std::int64_t value) {
  if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) c_.Fail("bind");
  return *this;
}

Query& Query::BindNullable(int index, const std::optional<std::string>& text) {
  if (text) return Bind(index, std::string_view(*text));
  if (sqlite3_bind_null(stmt_, index) != SQLITE_OK) c_.Fail("bind");
  return *this;
}

bool Query::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  c_.Fail(sqlite3_sql(stmt_));
}

void Query::Run() {
  while (Step()) {
  }
}

std::string Query::Text(int column) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  return text ? std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)))
              : std::string();
}

std::int64_t Query::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

}  // namespace zairyu::storage
