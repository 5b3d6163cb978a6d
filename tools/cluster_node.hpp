#pragma once
// `tradewind run --node NAME --topology FILE`: what one node of a topology runs — its
// actors, the risk gate's strategy inputs, the AMQP link, and when its run is over.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bridge/amqp/membership_table.hpp"
#include "config/node_config.hpp"
#include "tools/node_runner.hpp"
#include "topology/model.hpp"

namespace tradewind {

struct node_context;

namespace amqp {
struct link_settings;
}

/// What the membership actor calls when a node goes silent (see amqp::membership_settings).
using node_lost_handler = std::function<bool(const std::string& lost, const std::vector<amqp::member>& remaining)>;

/// A plan, or every reason there is none.
struct plan_result {
  std::optional<node_plan> plan;
  std::vector<std::string> errors;
};

/// The plan of node `name` of the (valid) topology `m`, running actors configured by `cfg`.
/// Errors: unknown node; a strategy id of the node that is not an enabled strategy of `cfg`.
/// `on_node_lost` goes to the membership actor; `with_membership` false leaves it out (a role
/// adopted by another node's process: that process already sends heartbeats).
plan_result plan_node(const topology::model& m, const std::string& name, const node_config& cfg,
                      std::shared_ptr<node_context> ctx, node_lost_handler on_node_lost = {},
                      bool with_membership = true);

/// The membership supervisor child of `node` (bridge/amqp/membership.hpp: heartbeats every
/// 5 s on the exchange of the topology's control route, and the list of nodes heard of);
/// none when the topology has a single node or does not declare that exchange. plan_node() adds it to the links.
std::optional<child_spec> membership_child(const topology::model& m, const topology::node_decl& node,
                                           const amqp::link_settings& settings, std::shared_ptr<node_context> ctx,
                                           node_lost_handler on_node_lost = {});

/// The end-of-stream watermark sources that end node `name`'s run: the outputs of its actors
/// ("market", "strategy:<id>", "risk", "executor", "account") and the last source of every
/// topic it consumes from the broker, so the node drains its queues before it stops.
std::vector<std::string> completion_sources(const topology::model& m, const std::string& name);

/// The config file of node `name` (node.config resolved against the topology file; without
/// one, the first actor's config); empty when the node is unknown or declares none.
std::string node_config_path(const topology::model& m, const std::string& name);

/// Applies the per-actor configs of node `name` (`actors[].config`, resolved against the
/// topology file) to `cfg`, the node's config: the actor's section of its own file replaces
/// the node's — collector, risk, executor, portfolio, notifier, store; for a strategy actor,
/// the strategies it lists (added when the node's config lacks them). Returns every error
/// (a file that does not load, a listed strategy id the actor's file lacks); `cfg` is then
/// partly changed and must not run.
std::vector<std::string> apply_actor_configs(const topology::model& m, const std::string& name, node_config& cfg);

} // namespace tradewind
