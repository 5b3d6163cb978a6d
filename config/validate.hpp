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
/// be readable; bridge.tls files, when set, must be readable PEM with the key matching the
/// certificate (config/impl/tls_files.hpp). `undecodable` lists key paths whose YAML value could not be decoded: rules
/// reading those keys are skipped so that one typo is not reported twice.
std::vector<config_error> validate_config(const node_config& cfg,
                                          const std::set<std::string>& undecodable = {});

/// The `risk.*` rules alone, with key paths below `base` ("risk" in a node config; "" gives
/// the bare field names the REST API reports). validate_config applies the same checks; the
/// REST bridge and the risk gate use this for live updates (risk_limits_update).
std::vector<config_error> validate_risk_limits(const risk_config& limits, const std::string& base = "risk");

/// The rules of a strategy's tunable parameters (fast >= 1, slow > fast, order_notional > 0,
/// qty_step > 0), with key paths below `base` ("strategies[0]" in a node config, "" for bare
/// names). validate_config applies the same checks; strategy_update uses this.
std::vector<config_error> validate_strategy_params(const strategy_params& params, const std::string& base);

} // namespace tradewind
