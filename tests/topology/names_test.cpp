// Broker names: routing keys from patterns, symbol shards, topic matching, and what each
// node of the cluster example publishes and consumes.

#include "topology/names.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "schemas/json/codec.hpp"
#include "topology/loader.hpp"
#include "topology_test_util.hpp"

using namespace tradewind;
using namespace tradewind::topology;
using namespace tradewind::topology_test;
using testing::ElementsAre;

TEST(topology_names, message_type_names_are_the_schema_wire_names) {
  EXPECT_EQ(to_string(message_type::bar), json::type_name<tradewind::bar>());
  EXPECT_EQ(to_string(message_type::trade_tick), json::type_name<tradewind::trade_tick>());
  EXPECT_EQ(to_string(message_type::signal), json::type_name<tradewind::signal>());
  EXPECT_EQ(to_string(message_type::order_intent), json::type_name<tradewind::order_intent>());
  EXPECT_EQ(to_string(message_type::risk_decision), json::type_name<tradewind::risk_decision>());
  EXPECT_EQ(to_string(message_type::order), json::type_name<tradewind::order>());
  EXPECT_EQ(to_string(message_type::fill), json::type_name<tradewind::fill>());
  EXPECT_EQ(to_string(message_type::cancel_request), json::type_name<tradewind::cancel_request>());
  EXPECT_EQ(to_string(message_type::position_update), json::type_name<tradewind::position_update>());
  EXPECT_EQ(to_string(message_type::account_snapshot), json::type_name<tradewind::account_snapshot>());
  EXPECT_EQ(to_string(message_type::alert), json::type_name<tradewind::alert>());
  EXPECT_EQ(to_string(message_type::control_command), json::type_name<tradewind::control_command>());
  EXPECT_EQ(to_string(message_type::heartbeat), json::type_name<tradewind::heartbeat>());
  EXPECT_EQ(to_string(message_type::watermark), json::type_name<tradewind::watermark>());
  EXPECT_EQ(to_string(message_type::risk_limits_update), json::type_name<tradewind::risk_limits_update>());
  EXPECT_EQ(to_string(message_type::risk_limits_report), json::type_name<tradewind::risk_limits_report>());
  EXPECT_EQ(to_string(message_type::strategy_update), json::type_name<tradewind::strategy_update>());
  EXPECT_EQ(to_string(message_type::strategy_report), json::type_name<tradewind::strategy_report>());
  EXPECT_EQ(to_string(message_type::trading_state_changed), json::type_name<tradewind::trading_state_changed>());
  EXPECT_EQ(all_message_types.size(), std::variant_size_v<json::any_message>);
  for (auto t : all_message_types)
    EXPECT_EQ(parse_message_type(to_string(t)), t);
}

TEST(topology_names, shards_are_stable_fnv1a) {
  // FNV-1a 32 of "BTCUSDT" is 0x5e9dbd4c... pinned so a change of hash cannot go unnoticed.
  EXPECT_EQ(shard_of("BTCUSDT", 4), shard_of("BTCUSDT", 4));
  EXPECT_EQ(shard_of("", 4), static_cast<int>(2166136261u % 4));
  EXPECT_EQ(shard_of("a", 1000), static_cast<int>(0xe40c292cu % 1000));
  EXPECT_EQ(shard_of("BTCUSDT", 0), 0);
}

TEST(topology_names, routing_keys_fill_the_pattern) {
  route_decl r{topic::market_data, "market_data", "md.{shard}.{type}.{node}", 4};
  int s = shard_of("ETHUSDT", 4);
  EXPECT_EQ(routing_key(r, message_type::bar, "collector", "ETHUSDT"), "md." + std::to_string(s) + ".bar.collector");
  EXPECT_EQ(routing_key(r, message_type::watermark, "collector", ""), "md.all.watermark.collector");
  route_decl plain{topic::orders, "orders", "orders.{type}", 0};
  EXPECT_EQ(routing_key(plain, message_type::fill, "n", "BTCUSDT"), "orders.fill");
}

TEST(topology_names, route_keys_list_every_shard_and_the_broadcast_key) {
  route_decl r{topic::market_data, "market_data", "md.{shard}", 2};
  auto keys = route_keys(r, info(topic::market_data).types, "c");
  std::vector<std::string> texts;
  for (const auto& k : keys)
    texts.push_back(k.key + "/" + std::string(to_string(k.type)) + "/" + std::to_string(k.shard));
  EXPECT_THAT(texts, ElementsAre("md.0/bar/0", "md.1/bar/1", "md.0/trade_tick/0", "md.1/trade_tick/1",
                                 "md.all/watermark/-1"));
}

TEST(topology_names, binding_keys_match_like_rabbitmq) {
  EXPECT_TRUE(binding_matches(exchange_type::topic, "md.*", "md.3"));
  EXPECT_FALSE(binding_matches(exchange_type::topic, "md.*", "md.3.bar"));
  EXPECT_TRUE(binding_matches(exchange_type::topic, "md.#", "md.3.bar"));
  EXPECT_TRUE(binding_matches(exchange_type::topic, "md.#", "md"));
  EXPECT_TRUE(binding_matches(exchange_type::topic, "#", "anything.at.all"));
  EXPECT_TRUE(binding_matches(exchange_type::topic, "*.bar", "md.bar"));
  EXPECT_FALSE(binding_matches(exchange_type::topic, "md.0", "md.1"));
  EXPECT_TRUE(binding_matches(exchange_type::direct, "md.0", "md.0"));
  EXPECT_FALSE(binding_matches(exchange_type::direct, "md.*", "md.0"));
  EXPECT_TRUE(binding_matches(exchange_type::fanout, "", "md.0"));
}

TEST(topology_names, placeholders_and_consumer_tags) {
  EXPECT_THAT(unknown_placeholders("md.{symbol}.{shard}.{x"), ElementsAre("{symbol}", "{x"));
  EXPECT_TRUE(unknown_placeholders("{type}.{node}.{shard}").empty());
  EXPECT_EQ(consumer_tag("trading", "trading.signals"), "tradewind.trading.trading.signals");
}

TEST(topology_links, cluster_nodes_know_what_to_publish_and_consume) {
  auto r = load_file(example("cluster.yaml"));
  ASSERT_TRUE(r.topology) << format_errors(r.errors, "cluster.yaml");
  auto describe = [](const node_links& l) {
    std::vector<std::string> out;
    for (const auto& p : l.publishes)
      out.push_back("pub " + std::string(topic_name(p.id)) + " -> " + p.exchange + " " + p.route->routing_key);
    for (const auto& s : l.consumes) {
      std::string from;
      for (const auto& n : s.from_nodes)
        from += (from.empty() ? "" : ",") + n;
      out.push_back("sub " + std::string(topic_name(s.id)) + " <- " + s.queue + " from " + from);
    }
    return out;
  };
  EXPECT_THAT(describe(links_for_node(*r.topology, "collector")),
              ElementsAre("pub market_data -> market_data md.{shard}", "pub alerts -> system alerts.{node}",
                          "pub control -> system control.{node}", "sub account <- collector.account from trading"));
  EXPECT_THAT(describe(links_for_node(*r.topology, "strategy-2")),
              ElementsAre("pub signals -> signals signals.{node}", "pub alerts -> system alerts.{node}",
                          "pub control -> system control.{node}",
                          "sub market_data <- strategy-2.market_data from collector",
                          "sub control <- strategy-2.control from collector,strategy-1,trading"));
  EXPECT_THAT(describe(links_for_node(*r.topology, "trading")),
              ElementsAre("pub account -> risk account.{type}", "pub control -> system control.{node}",
                          "sub market_data <- trading.market_data from collector",
                          "sub signals <- trading.signals from strategy-1,strategy-2",
                          "sub control <- trading.control from collector,strategy-1,strategy-2",
                          "sub alerts <- trading.alerts from collector,strategy-1,strategy-2"));
  EXPECT_TRUE(links_for_node(*r.topology, "nobody").publishes.empty());
}

TEST(topology_links, a_single_node_publishes_only_to_taps) {
  auto r = load_file(example("single-node.yaml"));
  ASSERT_TRUE(r.topology);
  auto l = links_for_node(*r.topology, "paper-1");
  ASSERT_EQ(l.publishes.size(), 1u);
  EXPECT_EQ(l.publishes[0].id, topic::alerts);
  EXPECT_TRUE(l.consumes.empty());
  auto d = load_file(example("default.yaml"));
  ASSERT_TRUE(d.topology);
  EXPECT_TRUE(links_for_node(*d.topology, "main").publishes.empty());
}

TEST(topology_links, the_risk_node_waits_for_each_strategy_node_separately) {
  auto r = load_file(example("cluster.yaml"));
  ASSERT_TRUE(r.topology);
  EXPECT_THAT(strategy_watermark_inputs(*r.topology, "trading"),
              ElementsAre("btc-ma-12-48@strategy-1", "btc-ma-50-200@strategy-1", "btc-ma-12-48@strategy-2",
                          "btc-ma-50-200@strategy-2"));
  auto d = load_file(example("default.yaml"));
  ASSERT_TRUE(d.topology);
  EXPECT_THAT(strategy_watermark_inputs(*d.topology, "main"), ElementsAre("btc-ma-10-30"));
}
