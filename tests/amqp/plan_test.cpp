// `tradewind run --node`: what one node of the cluster example runs, and when it is done.

#include "tools/cluster_node.hpp"

#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "actors/core/node_context.hpp"
#include "topology/loader.hpp"

using namespace tradewind;
using testing::ElementsAre;

namespace {

topology::model cluster() {
  auto r = topology::load_file(std::string(TW_SOURCE_DIR) + "/topology/examples/cluster.yaml");
  EXPECT_TRUE(r.topology) << topology::format_errors(r.errors, "cluster.yaml");
  return *r.topology;
}

node_config config_with(std::vector<std::string> ids) {
  node_config cfg;
  for (auto& id : ids) {
    strategy_config s;
    s.id = id;
    cfg.strategies.push_back(s);
  }
  return cfg;
}

std::vector<std::string> names(const std::vector<child_spec>& xs) {
  std::vector<std::string> out;
  for (const auto& x : xs)
    out.push_back(x.name);
  return out;
}

} // namespace

TEST(cluster_node, a_strategy_node_runs_its_strategies_and_its_link) {
  auto m = cluster();
  auto r = plan_node(m, "strategy-2", config_with({"btc-ma-12-48", "btc-ma-50-200", "other"}),
                     make_node_context("strategy-2", "error"));
  ASSERT_TRUE(r.plan) << r.errors.front();
  const auto& p = *r.plan;
  EXPECT_FALSE(p.collector || p.risk || p.executor || p.portfolio || p.store || p.notifier);
  EXPECT_THAT(p.strategies, ElementsAre("btc-ma-12-48", "btc-ma-50-200"));
  EXPECT_THAT(names(p.links), ElementsAre("amqp-in:strategy-2.market_data", "amqp-in:strategy-2.control",
                                          "amqp-out:signals", "amqp-out:alerts", "amqp-out:control", "membership"));
  EXPECT_THAT(p.flush_links, ElementsAre("amqp-out:signals", "amqp-out:alerts", "amqp-out:control"));
  EXPECT_THAT(p.completion_sources, ElementsAre("strategy:btc-ma-12-48", "strategy:btc-ma-50-200", "market"));
}

TEST(cluster_node, the_trading_node_waits_for_every_strategy_node) {
  auto m = cluster();
  auto r = plan_node(m, "trading", config_with({"btc-ma-12-48", "btc-ma-50-200"}), make_node_context("t", "error"));
  ASSERT_TRUE(r.plan);
  EXPECT_TRUE(r.plan->risk && r.plan->executor && r.plan->portfolio && r.plan->store && r.plan->notifier);
  EXPECT_THAT(r.plan->risk_inputs, ElementsAre("btc-ma-12-48@strategy-1", "btc-ma-50-200@strategy-1",
                                               "btc-ma-12-48@strategy-2", "btc-ma-50-200@strategy-2"));
  EXPECT_THAT(r.plan->completion_sources,
              ElementsAre("risk", "executor", "account", "market", "strategy:btc-ma-12-48@strategy-1",
                          "strategy:btc-ma-50-200@strategy-1", "strategy:btc-ma-12-48@strategy-2",
                          "strategy:btc-ma-50-200@strategy-2"));
  EXPECT_THAT(completion_sources(m, "collector"), ElementsAre("market", "account"));
}

TEST(cluster_node, unknown_nodes_and_missing_strategies_are_named) {
  auto m = cluster();
  auto unknown = plan_node(m, "nope", config_with({}), make_node_context("n", "error"));
  EXPECT_THAT(unknown.errors,
              ElementsAre("unknown node \"nope\" (the topology has collector, strategy-1, strategy-2, trading)"));
  auto missing = plan_node(m, "strategy-1", config_with({"btc-ma-12-48"}), make_node_context("n", "error"));
  EXPECT_THAT(missing.errors, ElementsAre("node \"strategy-1\" runs strategy \"btc-ma-50-200\", which is not an "
                                          "enabled strategy of its config"));
  EXPECT_EQ(node_config_path(m, "collector"),
            std::string(TW_SOURCE_DIR) + "/config/examples/btcusdt-2023-01.yaml");
}

TEST(cluster_node, an_actor_with_its_own_config_takes_its_section_from_it) {
  auto dir = std::filesystem::temp_directory_path() / ("tw-actor-config-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  // Each file is a whole node config (collector and a strategy are required), read for one section.
  const std::string feed = "collector: {mode: replay, feeds: [{symbol: BTCUSDT, path: " + std::string(TW_SOURCE_DIR)
                           + "/data/sample-btcusdt-5m.csv}]}\n";
  std::ofstream(dir / "risk.yaml") << feed << "strategies: [{id: x}]\nrisk: {max_order_notional: 1234}\n";
  std::ofstream(dir / "fast.yaml") << feed << "strategies:\n  - {id: fast, fast: 3, slow: 9}\n"
                                   << "  - {id: other, fast: 4, slow: 8}\n";
  std::ofstream(dir / "broken.yaml") << feed << "strategies: [{id: x}]\nrisk: {max_order_notional: -1}\n";
  topology::model m;
  m.base_dir = dir.string();
  topology::node_decl n;
  n.name = "trading";
  n.actors = {{topology::actor_kind::risk, "risk.yaml", {}}, {topology::actor_kind::strategy, "fast.yaml", {"fast"}},
              {topology::actor_kind::executor, "", {}}};
  m.nodes.push_back(n);

  auto cfg = config_with({"base"});
  cfg.executor.fee_bps = 7;
  EXPECT_THAT(apply_actor_configs(m, "trading", cfg), testing::IsEmpty());
  EXPECT_EQ(cfg.risk.max_order_notional, fixed::from_int<1234>());
  ASSERT_EQ(cfg.strategies.size(), 2u); // the node's own, plus the one the actor lists (not "other")
  EXPECT_EQ(cfg.strategies[1].id, "fast");
  EXPECT_EQ(cfg.strategies[1].fast, 3);
  EXPECT_EQ(cfg.executor.fee_bps, 7); // no actor config: the node's

  m.nodes[0].actors[1].strategies = {"fast", "missing"};
  m.nodes[0].actors[0].config = "broken.yaml";
  auto errors = apply_actor_configs(m, "trading", cfg);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_THAT(errors[0], testing::HasSubstr("actor risk of node \"trading\": "));
  EXPECT_THAT(errors[0], testing::HasSubstr("risk.max_order_notional"));
  EXPECT_EQ(errors[1], "strategy \"missing\" is not a strategy of " + (dir / "fast.yaml").string());
  std::filesystem::remove_all(dir);
}
