#include "tools/cluster_node.hpp"

#include <algorithm>
#include <filesystem>

#include "caf/actor.hpp"

#include "bridge/amqp/link.hpp"
#include "bridge/amqp/membership.hpp"
#include "config/loader.hpp"
#include "topology/broker_state.hpp"

namespace tradewind {

namespace {

using topology::actor_kind;

/// `file` relative to the topology file's directory.
std::string resolve(const topology::model& m, const std::string& file) {
  std::filesystem::path p{file};
  if (p.is_relative() && !m.base_dir.empty())
    p = std::filesystem::path{m.base_dir} / p;
  return p.lexically_normal().string();
}

void add_unique(std::vector<std::string>& xs, std::string x) {
  if (std::find(xs.begin(), xs.end(), x) == xs.end())
    xs.push_back(std::move(x));
}

} // namespace

std::optional<child_spec> membership_child(const topology::model& m, const topology::node_decl& node,
                                           const amqp::link_settings& settings, std::shared_ptr<node_context> ctx,
                                           node_lost_handler on_node_lost) {
  amqp::membership_settings ms;
  ms.exchange = amqp::membership_exchange(m);
  // A one-node topology has no cluster to list (and may run without a broker).
  if (m.nodes.size() < 2 || !m.find_exchange(ms.exchange))
    return std::nullopt;
  ms.actors = amqp::actor_names(node);
  ms.interval = std::chrono::milliseconds(settings.amqp.membership_interval_ms);
  ms.stale_after_intervals = settings.amqp.membership_lost_after;
  ms.on_node_lost = std::move(on_node_lost);
  return child_spec{amqp::membership_name, [settings, ms, ctx](caf::actor_system& sys) {
                      return amqp::spawn_membership(sys, settings, ms, ctx);
                    }};
}

std::vector<std::string> completion_sources(const topology::model& m, const std::string& name) {
  std::vector<std::string> out;
  const auto* node = m.find_node(name);
  if (!node)
    return out;
  for (const auto& a : node->actors) {
    switch (a.kind) {
      case actor_kind::collector: add_unique(out, "market"); break;
      case actor_kind::strategy:
        for (const auto& id : a.strategies)
          add_unique(out, "strategy:" + id);
        break;
      case actor_kind::risk: add_unique(out, "risk"); break;
      case actor_kind::executor: add_unique(out, "executor"); break;
      case actor_kind::portfolio: add_unique(out, "account"); break;
      default: break;
    }
  }
  for (const auto& s : topology::links_for_node(m, name).consumes) {
    switch (s.id) {
      case topic::market_data: add_unique(out, "market"); break;
      case topic::orders: add_unique(out, "risk"); break;
      case topic::executions: add_unique(out, "executor"); break;
      case topic::account: add_unique(out, "account"); break;
      case topic::signals:
        for (const auto& input : topology::strategy_watermark_inputs(m, name))
          if (input.find('@') != std::string::npos)
            add_unique(out, "strategy:" + input);
        break;
      default: break; // alerts and control never end
    }
  }
  return out;
}

std::string node_config_path(const topology::model& m, const std::string& name) {
  const auto* node = m.find_node(name);
  if (!node)
    return {};
  if (!node->config.empty())
    return resolve(m, node->config);
  // Without a node config every actor names its own: the first is the base.
  for (const auto& a : node->actors)
    if (!a.config.empty())
      return resolve(m, a.config);
  return {};
}

namespace {

/// Copies the strategies `ids` of `from` into `to` (replacing those with the same id).
void take_strategies(const node_config& from, const std::vector<std::string>& ids, const std::string& file,
                     node_config& to, std::vector<std::string>& errors) {
  for (const auto& id : ids) {
    auto src = std::find_if(from.strategies.begin(), from.strategies.end(),
                            [&](const strategy_config& s) { return s.id == id; });
    if (src == from.strategies.end()) {
      errors.push_back("strategy \"" + id + "\" is not a strategy of " + file);
      continue;
    }
    auto dst = std::find_if(to.strategies.begin(), to.strategies.end(),
                            [&](const strategy_config& s) { return s.id == id; });
    if (dst == to.strategies.end())
      to.strategies.push_back(*src);
    else
      *dst = *src;
  }
}

} // namespace

std::vector<std::string> apply_actor_configs(const topology::model& m, const std::string& name, node_config& cfg) {
  std::vector<std::string> errors;
  const auto* node = m.find_node(name);
  if (!node)
    return errors;
  for (const auto& a : node->actors) {
    if (a.config.empty())
      continue;
    auto file = resolve(m, a.config);
    auto loaded = load_config_file(file, environment_overrides());
    if (!loaded.config) {
      errors.push_back("actor " + std::string(topology::to_string(a.kind)) + " of node \"" + name + "\": " +
                       format_errors(loaded.errors, file));
      continue;
    }
    const node_config& own = *loaded.config;
    switch (a.kind) {
      case actor_kind::collector: cfg.collector = own.collector; break;
      case actor_kind::risk: cfg.risk = own.risk; break;
      case actor_kind::executor: cfg.executor = own.executor; break;
      case actor_kind::portfolio: cfg.portfolio = own.portfolio; break;
      case actor_kind::notifier: cfg.notifier = own.notifier; break;
      case actor_kind::store: cfg.store = own.store; break;
      case actor_kind::strategy: take_strategies(own, a.strategies, file, cfg, errors); break;
    }
  }
  return errors;
}

plan_result plan_node(const topology::model& m, const std::string& name, const node_config& cfg,
                      std::shared_ptr<node_context> ctx, node_lost_handler on_node_lost, bool with_membership) {
  plan_result out;
  const auto* node = m.find_node(name);
  if (!node) {
    std::string names;
    for (const auto& n : m.nodes)
      names += (names.empty() ? "" : ", ") + n.name;
    out.errors.push_back("unknown node \"" + name + "\" (the topology has " + names + ")");
    return out;
  }
  node_plan plan;
  for (const auto& a : node->actors) {
    switch (a.kind) {
      case actor_kind::collector: plan.collector = true; break;
      case actor_kind::risk: plan.risk = true; break;
      case actor_kind::executor: plan.executor = true; break;
      case actor_kind::portfolio: plan.portfolio = true; break;
      case actor_kind::notifier: plan.notifier = true; break;
      case actor_kind::store: plan.store = true; break;
      case actor_kind::strategy:
        for (const auto& id : a.strategies) {
          auto it = std::find_if(cfg.strategies.begin(), cfg.strategies.end(),
                                 [&](const strategy_config& s) { return s.id == id && s.enabled; });
          if (it == cfg.strategies.end())
            out.errors.push_back("node \"" + name + "\" runs strategy \"" + id
                                 + "\", which is not an enabled strategy of its config");
          else
            plan.strategies.push_back(id);
        }
        break;
    }
  }
  if (!out.errors.empty())
    return out;
  plan.risk_inputs = topology::strategy_watermark_inputs(m, name);
  auto links = topology::links_for_node(m, name);
  amqp::link_settings settings{cfg.amqp, name, m.vhost, topology::desired_state(m)};
  plan.links = amqp::link_children(settings, m, links, ctx);
  if (with_membership)
    if (auto child = membership_child(m, *node, settings, std::move(ctx), std::move(on_node_lost)))
      plan.links.push_back(std::move(*child));
  for (const auto& p : links.publishes)
    plan.flush_links.push_back(amqp::publisher_name(p.id));
  plan.completion_sources = completion_sources(m, name);
  out.plan = std::move(plan);
  return out;
}

} // namespace tradewind
