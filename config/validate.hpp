#pragma once
// Rules of a node configuration (ranges, required keys, cross-field and file checks),
// applied to the typed structs so that configs built in code are checked the same way.

#include <set>
#include <string>
#include <vector>

#include "config/loader.hpp"
#include "config/node_config.hpp"

namespace tradewind {

/// Checks every rule documented in node_config.hpp and returns all violations. Feed paths
/// must already be resolved (the loader does it); in replay mode each feed file must exist and
/// be readable. `undecodable` lists key paths whose YAML value could not be decoded: rules
/// reading those keys are skipped so that one typo is not reported twice.
std::vector<config_error> validate_config(const node_config& cfg,
                                          const std::set<std::string>& undecodable = {});

} // namespace tradewind
