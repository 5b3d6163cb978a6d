#pragma once
// RAII handles over the sqlite3 C API. Internal to the sqlite back end: only its .cpp files
// include this header, so no public header sees <sqlite3.h>.

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "schemas/fixed.hpp"

namespace tradewind::sqlite {

struct db_closer {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct stmt_finalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};

/// Owning connection handle.
using db_handle = std::unique_ptr<sqlite3, db_closer>;

/// The connection's last error text, e.g. "no such table: orders".
inline std::string last_error(sqlite3* db) {
  return db ? sqlite3_errmsg(db) : "out of memory";
}

/// A prepared statement, reused across executions (reset() between them). Parameters are
/// 1-based, columns 0-based, as in the C API.
class statement {
public:
  statement() = default;
  statement(sqlite3* db, sqlite3_stmt* s) : db_(db), stmt_(s) {}

  /// Prepares `sql`; on failure returns false and sets `error` to sqlite's message.
  static bool prepare(sqlite3* db, const char* sql, statement& out, std::string& error) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK) {
      error = last_error(db);
      return false;
    }
    out = statement{db, s};
    return true;
  }

  void bind(int i, int64_t v) { sqlite3_bind_int64(stmt_.get(), i, v); }
  void bind(int i, int v) { sqlite3_bind_int64(stmt_.get(), i, v); }
  void bind(int i, bool v) { sqlite3_bind_int64(stmt_.get(), i, v ? 1 : 0); }
  /// Fixed-point values are stored exactly as their raw int64 count of 1e-8 units.
  void bind(int i, fixed v) { sqlite3_bind_int64(stmt_.get(), i, v.raw); }
  /// The text is copied (SQLITE_TRANSIENT), so temporaries are fine.
  void bind(int i, std::string_view v) {
    sqlite3_bind_text(stmt_.get(), i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  void bind(int i, const std::string& v) { bind(i, std::string_view{v}); }
  void bind(int i, const char* v) { bind(i, std::string_view{v}); }

  /// Binds every argument to parameters 1, 2, ….
  template <class... Ts>
  void bind_all(const Ts&... xs) {
    int i = 0;
    (bind(++i, xs), ...);
  }

  /// One step: SQLITE_ROW, SQLITE_DONE or an error code.
  int step() { return sqlite3_step(stmt_.get()); }
  /// Runs a statement that returns no rows; false on error (message in last_error).
  bool run() {
    int rc = step();
    reset();
    return rc == SQLITE_DONE || rc == SQLITE_ROW;
  }
  /// Makes the statement ready for the next execution and clears its bindings.
  void reset() {
    sqlite3_reset(stmt_.get());
    sqlite3_clear_bindings(stmt_.get());
  }

  int64_t col_int(int c) const { return sqlite3_column_int64(stmt_.get(), c); }
  fixed col_fixed(int c) const { return fixed::from_raw(col_int(c)); }
  std::string col_text(int c) const {
    auto p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_.get(), c));
    return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt_.get(), c)))
             : std::string{};
  }
  bool col_is_null(int c) const { return sqlite3_column_type(stmt_.get(), c) == SQLITE_NULL; }

  std::string error() const { return last_error(db_); }

private:
  sqlite3* db_ = nullptr;
  std::unique_ptr<sqlite3_stmt, stmt_finalizer> stmt_;
};

/// Runs one or more SQL statements without results; false with `error` set on failure.
inline bool exec(sqlite3* db, const char* sql, std::string& error) {
  char* msg = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
    error = msg ? msg : last_error(db);
    sqlite3_free(msg);
    return false;
  }
  return true;
}

} // namespace tradewind::sqlite
