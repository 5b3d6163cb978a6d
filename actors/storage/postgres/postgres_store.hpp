#pragma once
// PostgreSQL back end of the store interface (libpqxx 6.4, a connection pool sized by
// store.pool_size, batched multi-row INSERT … ON CONFLICT statements).
//
// Representation: the same as the SQLite back end (fixed-point values as BIGINT raw 1e-8
// counts, enums as TEXT names, times as BIGINT Unix ms); see postgres_schema.cpp. The
// schema is created by `tradewind db migrate` (migrate_postgres_store), never implicitly.
// Every message starts with the URL with its password redacted and never contains it.

#include <memory>

#include "actors/storage/store.hpp"

namespace tradewind {

/// Connects (one connection now, up to cfg.pool_size on demand) and checks the schema:
/// an unreachable server, refused credentials, or a schema that is not exactly this
/// build's latest version is an error (older: "run `tradewind db migrate`").
store_result<std::unique_ptr<store>> open_postgres_store(const store_config& cfg);

/// The schema version, changing nothing.
store_result<schema_status> read_postgres_schema_status(const store_config& cfg);

/// Migrates up to `target_version` (0 = latest).
store_result<schema_status> migrate_postgres_store(const store_config& cfg, int target_version);

} // namespace tradewind
