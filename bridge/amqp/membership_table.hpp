#pragma once
// Node membership, pure logic (no CAF, no rabbitmq-c): the list of nodes a node has heard
// heartbeats from, when nodes count as lost, and how the list is printed. The actor that feeds
// it is bridge/amqp/membership.hpp; `tradewind cluster nodes` prints it (tools/cluster_cmd.hpp).

#include <cstdint>
#include <string>
#include <vector>

#include "schemas/control.hpp"
#include "topology/model.hpp"

namespace tradewind::amqp {

/// Routing key prefix of heartbeats on the membership exchange: "heartbeat.<node>".
inline constexpr const char* heartbeat_key_prefix = "heartbeat.";

/// One node as last heard of.
struct member {
  std::string node;
  std::vector<std::string> actors;
  uint64_t seq = 0;                       ///< seq of its last heartbeat
  trading_state state = trading_state::active;
  int64_t sent_ms = 0;                    ///< ts_ms of its last heartbeat (its wall clock)
  int64_t last_seen_ms = 0;               ///< our wall clock when it arrived
};

/// The nodes heard of, by name.
class membership_table {
public:
  /// Records heartbeat `hb` received at `now_ms`; true when its node was not listed (joined).
  /// A restarted node starts again at seq 0: every heartbeat refreshes the entry.
  bool update(const heartbeat& hb, int64_t now_ms);
  /// Removes the nodes not heard of for more than `stale_after_ms`; returns their names (lost).
  std::vector<std::string> expire(int64_t now_ms, int64_t stale_after_ms);
  /// Counts every node as heard of at `now_ms`: after this node's own connection was down,
  /// the silence it could not hear is not the others' (no node_lost, no failover for it).
  void refresh_all(int64_t now_ms);
  /// Every node, sorted by name.
  const std::vector<member>& members() const { return members_; }

private:
  std::vector<member> members_;
};

/// The exchange heartbeats travel on: the exchange of the topology's `control` route (the
/// `system` exchange of the examples); "system" when the topology has no control route.
std::string membership_exchange(const topology::model& m);

/// The actor names a node declares: "collector", "strategy:<id>" per strategy, "risk", …
std::vector<std::string> actor_names(const topology::node_decl& node);

/// The node that takes over the role of lost node `lost`: the first by name of `remaining`
/// whose declared actors in `m` include a strategy, when `lost` runs strategies; empty
/// otherwise (only strategy roles move: they are pure functions of their market data).
/// Every node computes the same heir from the same listing, so exactly one adopts.
std::string heir_of(const topology::model& m, const std::string& lost, const std::vector<member>& remaining);

/// The listing of `tradewind cluster nodes`: a header, one line per member (name, state,
/// seconds since last seen at `now_ms`, seq, actors), then one "<node>  not seen" line per
/// node of `declared` that sent nothing.
/// e.g. "NODE        STATE   LAST_SEEN  SEQ  ACTORS\ncollector   active  1.2s ago   4    collector\n"
std::string format_members(const std::vector<member>& members, const std::vector<std::string>& declared,
                           int64_t now_ms);

} // namespace tradewind::amqp
