#pragma once
// Node membership over the broker. Every node runs one membership actor: it publishes this
// node's `heartbeat` (schemas/control.hpp) every `interval` to the membership exchange (the
// topology's `system` exchange, routing key "heartbeat.<node>") and listens to everyone's
// heartbeats on a private auto-delete queue bound with "heartbeat.*", so the list reaches
// every node whatever queues the topology declares. Design: bridge/amqp/README.md.

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "caf/fwd.hpp"

#include "bridge/amqp/link.hpp"
#include "bridge/amqp/membership_table.hpp"

namespace tradewind {
struct node_context;
}

namespace tradewind::amqp {

/// What the membership actor of one node does.
struct membership_settings {
  std::string exchange = "system";                      ///< membership_exchange(model)
  std::vector<std::string> actors;                       ///< this node's actors (actor_names)
  std::chrono::milliseconds interval{5'000};             ///< heartbeat period
  int stale_after_intervals = 3;                         ///< a node not heard of for this many periods is lost
  /// Called on the membership thread after node `lost` was removed, with the nodes still
  /// listed (tools/role_adopter.hpp takes over a lost strategy node's role); true when this
  /// node took the role over (the actor then raises alert `node_adopted`). Optional.
  std::function<bool(const std::string& lost, const std::vector<member>& remaining)> on_node_lost;
};

/// Name of the membership child of the supervisor: "membership".
inline constexpr const char* membership_name = "membership";

/// The membership actor (detached, blocking, own connection; reconnects with the link's
/// back-off). Logs event=node_joined / event=node_lost and raises alert `node_lost` (warning)
/// on the alerts topic when a node stops sending. Answers `caf::get_atom` with the current
/// listing (format_members, the nodes it has heard of, itself included once its first
/// heartbeat came back from the broker).
caf::actor spawn_membership(caf::actor_system& sys, link_settings settings, membership_settings ms,
                            std::shared_ptr<node_context> ctx);

/// Result of listen_heartbeats().
struct listen_result {
  std::vector<member> members;  ///< every node heard of, sorted by name
  std::string error;            ///< connection or declaration error (without password); empty on success
};

/// Listens to heartbeats on `exchange` of `vhost` for `duration` on a private auto-delete queue
/// (no actor system): what `tradewind cluster nodes` prints. Blocking.
listen_result listen_heartbeats(const std::string& amqp_url, const std::string& vhost, const std::string& exchange,
                                std::chrono::milliseconds duration);

} // namespace tradewind::amqp
