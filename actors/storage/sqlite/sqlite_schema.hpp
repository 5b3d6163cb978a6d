#pragma once
// Versioned schema of the SQLite store: the migration list and the code that applies it.

#include <string>

struct sqlite3;

namespace tradewind::sqlite {

/// Newest schema version this build knows (the last migration's version).
int latest_schema_version();

/// Creates the schema_version table if needed, refuses a database whose version is newer
/// than latest_schema_version() (or than `target`), and applies each missing migration up
/// to `target` (0 = latest) in its own transaction. Returns the resulting version, or -1
/// with `error` set.
int migrate(sqlite3* db, std::string& error, int target = 0);

/// The recorded version (0 when there is no schema_version table), or -1 with `error` set.
int read_version(sqlite3* db, std::string& error);

} // namespace tradewind::sqlite
