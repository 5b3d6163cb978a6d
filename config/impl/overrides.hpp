#pragma once
// Environment overrides: `TRADEWIND__RISK__MAX_POSITION_PCT=20` sets `risk.max_position_pct`
// in the YAML tree before it is decoded, so overridden values get exactly the same checks.
// Internal to the config library.

#include <map>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "config/loader.hpp"

namespace tradewind::config_impl {

inline constexpr const char* override_prefix = "TRADEWIND__";

/// Applies every `TRADEWIND__*` entry of `env` to `root` (in name order). Segments are
/// separated by `__` and lower-cased; a segment of digits indexes a list (an index one past
/// the end appends a new item). A value starting with `[` is read as a YAML flow list,
/// anything else as a plain string scalar. Problems with the variable itself (malformed name,
/// index out of range, a value where a section is needed) are appended to `errors` with the
/// variable as `source`. Returns key path → variable name for every value set.
std::map<std::string, std::string> apply_overrides(YAML::Node& root,
                                                   const std::map<std::string, std::string>& env,
                                                   std::vector<config_error>& errors);

} // namespace tradewind::config_impl
