#pragma once
// Test helpers shared by the store and store writer tests: temporary SQLite files and raw
// access for manipulating a database behind the store's back.

#include <sqlite3.h>

#include <filesystem>
#include <stdexcept>
#include <string>

#include <unistd.h>

namespace tradewind::testing {

/// A fresh database path in the temp directory, removed (with -wal/-shm) on destruction.
class temp_db {
public:
  explicit temp_db(const std::string& name)
    : path_((std::filesystem::temp_directory_path() /
             ("tw_" + name + "_" + std::to_string(::getpid()) + ".db"))
              .string()) {
    remove();
  }
  ~temp_db() { remove(); }
  const std::string& path() const { return path_; }
  std::string url() const { return "sqlite:" + path_; }

private:
  void remove() {
    for (auto suffix : {"", "-wal", "-shm"})
      std::filesystem::remove(path_ + suffix);
  }
  std::string path_;
};

/// Runs SQL on a separate raw connection; throws with sqlite's message on failure.
inline void raw_exec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    std::string msg = sqlite3_errmsg(db);
    sqlite3_close(db);
    throw std::runtime_error(msg);
  }
  sqlite3_busy_timeout(db, 10'000);
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown";
    sqlite3_free(err);
    sqlite3_close(db);
    throw std::runtime_error(msg);
  }
  sqlite3_close(db);
}

/// The first column of the first row of `sql` as text ("" for NULL or no row), read on a
/// separate raw connection: what a call wrote, checked behind the store's back.
inline std::string raw_query(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string out;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_busy_timeout(db, 10'000);
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
      auto text = sqlite3_column_text(st, 0);
      out = text ? reinterpret_cast<const char*>(text) : "";
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  return out;
}

} // namespace tradewind::testing
