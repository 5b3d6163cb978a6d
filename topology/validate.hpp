#pragma once
// The rules of a topology beyond types and known keys (topology/examples/README.md lists
// every error text). Used by the loader; callable on a model built in code.

#include <set>
#include <string>
#include <vector>

#include "topology/loader.hpp"
#include "topology/model.hpp"

namespace tradewind::topology {

/// Every rule violation of `m`, with key paths (`queues[1].node`) but no line numbers.
/// `undecodable` holds key paths whose value failed to decode (their rules are skipped).
/// Config paths are checked on disk only when `m.base_dir` is not empty.
std::vector<topology_error> validate(const model& m, const std::set<std::string>& undecodable = {});

} // namespace tradewind::topology
