#pragma once
// Loads a node's YAML configuration into the typed structs of config/node_config.hpp.
// Environment overrides are applied to the YAML tree first, then every key is decoded and
// every rule checked; all problems are returned together, each with its key path.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/node_config.hpp"

namespace tradewind {

/// One problem found while loading a configuration.
struct config_error {
  std::string path;   ///< key path such as `strategies[1].slow`; empty for file-level errors
  std::string reason; ///< what is wrong, e.g. `must be in (0, 100], got 150`
  std::string source; ///< environment variable that supplied the value; empty when it came from YAML
  int line = 0;       ///< 1-based line in the YAML text; 0 when unknown (defaults, overrides)
  int column = 0;     ///< 1-based column; 0 when unknown

  /// `path: reason`, `path (from VARIABLE): reason`, or just `reason` for file-level errors.
  /// Never contains the value of a key whose name mentions password, secret, token or key.
  std::string message() const;
};

/// Outcome of a load: a config when and only when `errors` is empty.
struct load_result {
  std::optional<node_config> config;
  std::vector<config_error> errors; ///< in document order; errors without a line come last
};

/// Reads, overrides, decodes and validates the YAML file at `path`. Relative feed paths are
/// resolved against the file's directory. `env` is usually environment_overrides(); entries
/// not starting with `TRADEWIND__` are ignored.
load_result load_config_file(const std::string& path, const std::map<std::string, std::string>& env);

/// Same as load_config_file for YAML text; relative feed paths resolve against `base_dir`
/// (the current directory when empty).
load_result load_config_text(std::string_view yaml, const std::string& base_dir,
                             const std::map<std::string, std::string>& env);

/// The `TRADEWIND__*` variables of the process environment, by name.
std::map<std::string, std::string> environment_overrides();

/// One error per line, each formatted by config_error::message(), prefixed by
/// `file:line:` when the line is known. For printing by the command-line tool.
std::string format_errors(const std::vector<config_error>& errors, const std::string& file);

} // namespace tradewind
