#pragma once
// `tradewind db migrate|status`: bring a store's schema to this build's version, or show
// where it stands. The store is named by a config file (its store section) or a URL.

#include <iostream>
#include <string>

namespace tradewind {

/// Where the store is and where output goes.
struct db_cmd_options {
  std::string config_path;        ///< --config FILE: use its store section (env overrides apply)
  std::string url;                ///< --url URL: wins over --config; else $TRADEWIND__STORE__URL via the config
  int target_version = 0;         ///< --to N (migrate only): stop at version N; 0 = latest
  std::ostream* out = &std::cout; ///< results
  std::ostream* err = &std::cerr; ///< errors
};

/// Exit codes of run_db_command.
inline constexpr int db_exit_ok = 0;
inline constexpr int db_exit_error = 1;   ///< unreachable server, refused credentials, failed migration
inline constexpr int db_exit_usage = 2;   ///< unknown verb, no store named, invalid config file
inline constexpr int db_exit_pending = 3; ///< status: the schema is older or newer than this build

/// - migrate: applies every missing migration (each in its own transaction) and prints
///   `store URL: migrated from version A to B` or `store URL: already at version B`.
/// - status: prints `store URL: schema version A, this build B (…)`; exit 3 unless equal.
/// URLs are printed with the password as `***`.
int run_db_command(const std::string& verb, const db_cmd_options& options);

} // namespace tradewind
