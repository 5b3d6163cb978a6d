#pragma once
// `tradewind cluster nodes --topology FILE [--amqp-url URL] [--listen-s S]`: lists the nodes of a
// running cluster by listening to their heartbeats (bridge/amqp/membership.hpp) for a few seconds.

#include <iostream>
#include <string>

namespace tradewind {

struct cluster_cmd_options {
  std::string topology_path;       ///< --topology (vhost and membership exchange; declared nodes)
  /// --amqp-url; empty → $TRADEWIND_AMQP_URL → amqp://guest:guest@127.0.0.1:5672/
  std::string amqp_url;
  double listen_s = 6.0;           ///< --listen-s: how long to listen (heartbeats come every 5 s)
  std::ostream* out = &std::cout;
  std::ostream* err = &std::cerr;
};

/// Exit codes: 0 listed (whether or not every node answered), 1 broker error, 2 invalid topology.
/// Prints amqp::format_members: one line per node heard of, then "<node>  not seen" for each
/// node of the topology that sent no heartbeat.
int run_cluster_nodes(const cluster_cmd_options& options);

} // namespace tradewind
