#include "actors/storage/store.hpp"

#include <string_view>

#include "actors/storage/postgres/postgres_store.hpp"
#include "actors/storage/sqlite/sqlite_store.hpp"
#include "net/redact.hpp"

namespace tradewind {

namespace {

constexpr std::string_view sqlite_scheme = "sqlite:";
constexpr std::string_view supported = "supported: sqlite:PATH, postgresql://user:pass@host/db";

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool is_postgres(std::string_view url) {
  return starts_with(url, "postgresql://") || starts_with(url, "postgres://");
}

/// Dispatches on the url's scheme: `on_sqlite(path)` or `on_postgres()`.
template <class T, class Sqlite, class Postgres>
store_result<T> by_scheme(const store_config& cfg, Sqlite&& on_sqlite, Postgres&& on_postgres) {
  std::string_view url = cfg.url;
  if (starts_with(url, sqlite_scheme)) {
    auto path = std::string{url.substr(sqlite_scheme.size())};
    if (path.empty())
      return store_status::error("store url '" + redact_url(cfg.url) + "' has no path (use sqlite:PATH)");
    return on_sqlite(path);
  }
  if (is_postgres(url))
    return on_postgres();
  return store_status::error("store url '" + redact_url(cfg.url) +
                             "' has an unsupported scheme (" + std::string{supported} + ")");
}

} // namespace

store_result<std::unique_ptr<store>> open_store(const store_config& cfg) {
  return by_scheme<std::unique_ptr<store>>(
    cfg, [](const std::string& path) { return open_sqlite_store(path); },
    [&] { return open_postgres_store(cfg); });
}

store_result<schema_status> read_schema_status(const store_config& cfg) {
  return by_scheme<schema_status>(
    cfg, [](const std::string& path) { return read_sqlite_schema_status(path); },
    [&] { return read_postgres_schema_status(cfg); });
}

store_result<schema_status> migrate_store(const store_config& cfg, int target_version) {
  return by_scheme<schema_status>(
    cfg,
    [&](const std::string& path) { return migrate_sqlite_store(path, target_version); },
    [&] { return migrate_postgres_store(cfg, target_version); });
}

} // namespace tradewind
