// The link's wire logic without a broker: envelope and headers, routing keys, message ids,
// watermark qualification, the verdict on a delivery, the de-duplication window.

#include "bridge/amqp/wire.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "topology/names.hpp"

using namespace tradewind;
using namespace tradewind::amqp;

namespace {

topology::route_decl route(topic t, std::string key, int shards = 0) {
  topology::route_decl r;
  r.id = t;
  r.exchange = "x";
  r.routing_key = std::move(key);
  r.shards = shards;
  return r;
}

topology::publication publication_of(topic t, const topology::route_decl& r) {
  return topology::publication{t, topology::info(t).types, r.exchange, &r};
}

fill make_fill() {
  fill f;
  f.fill_id = "s1-BTCUSDT-3-1";
  f.client_order_id = "s1-BTCUSDT-3";
  f.strategy_id = "s1";
  f.symbol = "BTCUSDT";
  f.price = fixed::from_int(16'000);
  f.qty = fixed::from_int(1);
  f.ts_ms = 1000;
  return f;
}

} // namespace

TEST(amqp_wire, a_fill_is_a_persistent_json_envelope_with_every_header) {
  auto r = route(topic::executions, "executions.{type}");
  auto m = make_outgoing(json::any_message{make_fill()}, publication_of(topic::executions, r), "trading",
                         "trading-1-7", 1234);
  EXPECT_EQ(m.exchange, "x");
  EXPECT_EQ(m.routing_key, "executions.fill");
  EXPECT_EQ(m.body, json::to_envelope(make_fill()));
  EXPECT_EQ(m.message_id, "fill:s1-BTCUSDT-3-1");
  EXPECT_EQ(m.type, "fill");
  EXPECT_EQ(m.schema_version, 1);
  EXPECT_EQ(m.origin_node, "trading");
  EXPECT_EQ(m.trace_id, "trading-1-7");
  EXPECT_EQ(m.sent_at_ms, 1234);
  EXPECT_TRUE(m.persistent);
}

TEST(amqp_wire, market_data_is_persistent_too_and_routed_by_symbol_shard) {
  auto r = route(topic::market_data, "md.{shard}", 2);
  bar b;
  b.symbol = "SOLUSDT";
  auto m = make_outgoing(json::any_message{b}, publication_of(topic::market_data, r), "collector", "t", 0);
  EXPECT_EQ(m.routing_key, "md.1");
  EXPECT_TRUE(m.persistent); // a classic queue would lose it in a broker restart otherwise
  auto w = make_outgoing(json::any_message{watermark{"market", 5, false}}, publication_of(topic::market_data, r),
                         "collector", "t", 0);
  EXPECT_EQ(w.routing_key, "md.all");
  EXPECT_EQ(w.body, json::to_envelope(watermark{"market", 5, false}));
  EXPECT_TRUE(w.persistent);
}

TEST(amqp_wire, strategy_watermarks_name_their_node_on_the_signals_topic_only) {
  EXPECT_EQ(qualify_source("strategy:s1", "strategy-2"), "strategy:s1@strategy-2");
  EXPECT_EQ(qualify_source("strategy:s1@strategy-1", "strategy-2"), "strategy:s1@strategy-1");
  EXPECT_EQ(qualify_source("market", "strategy-2"), "market");
  auto r = route(topic::signals, "signals.{node}");
  auto m = make_outgoing(json::any_message{watermark{"strategy:s1", 9, true}}, publication_of(topic::signals, r),
                         "strategy-2", "t", 0);
  EXPECT_EQ(m.routing_key, "signals.strategy-2");
  EXPECT_EQ(m.body, json::to_envelope(watermark{"strategy:s1@strategy-2", 9, true}));
}

TEST(amqp_wire, message_ids_use_order_ids_where_they_exist_and_the_body_hash_elsewhere) {
  order_intent intent;
  intent.client_order_id = "s1-BTCUSDT-1";
  EXPECT_EQ(message_id(json::any_message{intent}, "ignored", "strategy-1"), "order_intent:s1-BTCUSDT-1");
  risk_decision d;
  d.client_order_id = "s1-BTCUSDT-1";
  EXPECT_EQ(message_id(json::any_message{d}, "ignored", "trading"), "risk_decision:s1-BTCUSDT-1");
  json::any_message wm{watermark{"market", 1, false}};
  // FNV-1a-64 of the empty string is its offset basis.
  EXPECT_EQ(message_id(wm, "", "collector"), "watermark:collector:cbf29ce484222325");
  EXPECT_NE(message_id(wm, "a", "collector"), message_id(wm, "b", "collector"));
}

TEST(amqp_wire, identical_alerts_of_two_nodes_are_not_duplicates_of_each_other) {
  // What a broker restart makes on every node in the same millisecond.
  alert a{severity::warning, "amqp_connect_failed", "membership", "membership: cannot connect", 1000};
  auto r = route(topic::alerts, "alerts.{node}");
  auto from_collector = make_outgoing(json::any_message{a}, publication_of(topic::alerts, r), "collector", "t1", 0);
  auto from_strategy = make_outgoing(json::any_message{a}, publication_of(topic::alerts, r), "strategy-1", "t2", 0);
  ASSERT_EQ(from_collector.body, from_strategy.body);
  EXPECT_NE(from_collector.message_id, from_strategy.message_id);
  dedupe_window seen{10};
  EXPECT_EQ(inspect_delivery(from_collector.body, "collector", "trading", topic::alerts, seen).what, verdict::deliver);
  EXPECT_EQ(inspect_delivery(from_strategy.body, "strategy-1", "trading", topic::alerts, seen).what, verdict::deliver);
  EXPECT_EQ(inspect_delivery(from_strategy.body, "strategy-1", "trading", topic::alerts, seen).what, verdict::duplicate);
}

TEST(amqp_wire, a_delivery_is_handed_over_once_and_duplicates_are_dropped) {
  dedupe_window seen{10};
  std::string body = json::to_envelope(make_fill());
  auto first = inspect_delivery(body, "trading", "risk-node", topic::executions, seen);
  ASSERT_EQ(first.what, verdict::deliver);
  EXPECT_EQ(first.id, "fill:s1-BTCUSDT-3-1");
  ASSERT_TRUE(first.message);
  EXPECT_EQ(std::get<fill>(*first.message).fill_id, "s1-BTCUSDT-3-1");
  auto again = inspect_delivery(body, "trading", "risk-node", topic::executions, seen);
  EXPECT_EQ(again.what, verdict::duplicate);
  EXPECT_EQ(again.id, "fill:s1-BTCUSDT-3-1");
}

TEST(amqp_wire, messages_of_this_node_come_back_only_to_be_dropped) {
  dedupe_window seen{10};
  auto r = inspect_delivery("not even json", "trading", "trading", topic::alerts, seen);
  EXPECT_EQ(r.what, verdict::own_origin);
  EXPECT_EQ(seen.size(), 0u);
}

TEST(amqp_wire, poison_messages_are_dead_lettered_with_a_reason) {
  dedupe_window seen{10};
  auto bad_json = inspect_delivery("{not json", "x", "me", topic::signals, seen);
  EXPECT_EQ(bad_json.what, verdict::dead_letter);
  EXPECT_THAT(bad_json.reason, testing::StartsWith("cannot decode: "));
  auto unknown = inspect_delivery(R"({"type":"teleport","schema_version":1,"data":{}})", "x", "me", topic::signals, seen);
  EXPECT_EQ(unknown.what, verdict::dead_letter);
  EXPECT_EQ(unknown.reason, "cannot decode: " + json::from_envelope(R"({"type":"teleport","schema_version":1,"data":{}})").error().message());
  std::string v2 = json::to_envelope(make_fill());
  v2.replace(v2.find("\"schema_version\":1"), 18, "\"schema_version\":2");
  auto wrong_version = inspect_delivery(v2, "x", "me", topic::executions, seen);
  EXPECT_EQ(wrong_version.what, verdict::dead_letter);
  EXPECT_EQ(wrong_version.reason, "cannot decode: " + json::from_envelope(v2).error().message());
  auto wrong_topic = inspect_delivery(json::to_envelope(make_fill()), "x", "me", topic::signals, seen);
  EXPECT_EQ(wrong_topic.what, verdict::dead_letter);
  EXPECT_EQ(wrong_topic.reason, "type fill does not travel on topic signals");
  EXPECT_EQ(seen.size(), 0u);
}

TEST(amqp_wire, the_dedupe_window_forgets_the_oldest_ids) {
  dedupe_window w{2};
  EXPECT_TRUE(w.insert("a"));
  EXPECT_TRUE(w.insert("b"));
  EXPECT_FALSE(w.insert("a"));
  EXPECT_TRUE(w.insert("c")); // forgets a
  EXPECT_EQ(w.size(), 2u);
  EXPECT_TRUE(w.insert("a"));
  EXPECT_FALSE(w.insert("c"));
}
