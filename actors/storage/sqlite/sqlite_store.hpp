#pragma once
// SQLite back end of the store interface (raw sqlite3 C API, WAL journal,
// synchronous=NORMAL, prepared statements reused across batches).
//
// Representation: fixed-point values are INTEGER columns holding the exact raw count of
// 1e-8 units (column names end in `_e8`), enums are TEXT names, times are INTEGER Unix ms.
// See sqlite_schema.cpp for the tables.

#include <memory>
#include <string>

#include "actors/storage/store.hpp"

namespace tradewind {

/// Opens or creates the SQLite database at `path` (":memory:" for a private in-memory one)
/// and migrates it to the newest schema. Every error carries sqlite's message, prefixed
/// with "sqlite:<path>: ".
store_result<std::unique_ptr<store>> open_sqlite_store(const std::string& path);

/// The schema version of the database at `path`, without creating or changing it.
store_result<schema_status> read_sqlite_schema_status(const std::string& path);

/// Creates the file when needed and migrates it up to `target_version` (0 = latest).
store_result<schema_status> migrate_sqlite_store(const std::string& path, int target_version);

} // namespace tradewind
