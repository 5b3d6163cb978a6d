#pragma once
// Versioned schema of the PostgreSQL store: the migration list and the code that applies
// it. Internal to postgres/ (includes libpqxx). The history mirrors sqlite/sqlite_schema.cpp
// version for version; only the SQL dialect differs (BIGINT, BIGSERIAL, BOOLEAN).

#include <stdexcept>
#include <string>

#include <pqxx/pqxx>

namespace tradewind::pg {

/// Newest schema version this build knows (the last migration's version).
int latest_schema_version();

/// A schema problem that is not a database error: newer than this build, bad target.
class schema_error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// The recorded version in the connection's schema (first of search_path); 0 when there is
/// no schema_version table. libpqxx exceptions propagate.
int read_version(pqxx::connection& c);

/// Applies each missing migration up to `target` (0 = latest), each in its own transaction
/// under an advisory lock (concurrent migrators wait, then find nothing left to do). Throws
/// schema_error for a database newer than this build or than `target`. Returns the version.
int migrate(pqxx::connection& c, int target);

} // namespace tradewind::pg
