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
  f.price = fixed::from_int<16'000>();
  f.qty = fixed::from_int<1>();
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
  EXPECT_EQ(unknown.reason, R"(cannot decode: field 'type': unknown message type "teleport")");
  std::string v2 = json::to_envelope(make_fill());
  v2.replace(v2.find("\"schema_version\":1"), 18, "\"schema_version\":2");
  auto wrong_version = inspect_delivery(v2, "x", "me", topic::executions, seen);
  EXPECT_EQ(wrong_version.what, verdict::dead_letter);
  EXPECT_EQ(wrong_version.reason, "cannot decode: field 'schema_version': unsupported version 2 for fill (supported: 1)");
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

TEST(amqp_wire, an_outage_alerts_its_first_refused_attempt_then_one_per_interval) {
  repeat_gate gate{30'000};
  EXPECT_TRUE(gate.failure(1'000));
  EXPECT_EQ(gate.note(), "");
  for (int64_t t = 1'200; t < 31'000; t += 1'000)
    EXPECT_FALSE(gate.failure(t)) << t; // 30 attempts inside the interval: logged only
  EXPECT_TRUE(gate.failure(31'000));
  EXPECT_EQ(gate.streak(), 32u);
  EXPECT_EQ(gate.not_alerted(), 30u);
  EXPECT_EQ(gate.note(), " (attempt 32; 30 failed attempts since the last alert were logged only)");
  // Connected again: the next outage is alerted at once.
  gate.success();
  EXPECT_TRUE(gate.failure(32'000));
  EXPECT_EQ(gate.note(), "");
  repeat_gate every{0};
  EXPECT_TRUE(every.failure(1));
  EXPECT_TRUE(every.failure(1));
}

TEST(amqp_wire, a_msgpack_route_sends_the_same_envelope_smaller_and_the_consumer_reads_both) {
  auto r = route(topic::market_data, "md.{shard}", 2);
  r.encoding = topology::wire_encoding::msgpack;
  bar b{"BTCUSDT", 1'672'617'600'000, 300'000, *fixed::from_double(16'531.5),
        *fixed::from_double(16'540.25), *fixed::from_double(16'520.0), *fixed::from_double(16'535.75),
        *fixed::from_double(123.456)};
  auto packed = make_outgoing(json::any_message{b}, publication_of(topic::market_data, r), "collector", "t", 0);
  EXPECT_STREQ(packed.content_type, content_type_msgpack);
  auto text = json::to_envelope(b);
  EXPECT_LT(packed.body.size(), text.size());
  dedupe_window seen{10};
  auto got = inspect_delivery(packed.body, "collector", "strategy-1", topic::market_data, seen, content_type_msgpack);
  ASSERT_EQ(got.what, verdict::deliver) << got.reason;
  EXPECT_EQ(json::to_envelope(*got.message), text);
  EXPECT_EQ(got.id, packed.message_id);
  // The copy of a re-publish has the same id, whatever the encoding.
  EXPECT_EQ(inspect_delivery(packed.body, "collector", "strategy-1", topic::market_data, seen, content_type_msgpack).what,
            verdict::duplicate);
  // A JSON copy of another bar goes through the same consumer.
  b.open_time_ms += 300'000;
  EXPECT_EQ(inspect_delivery(json::to_envelope(b), "collector", "strategy-1", topic::market_data, seen, "").what,
            verdict::deliver);
}

TEST(amqp_wire, unreadable_bodies_and_unknown_content_types_are_dead_lettered) {
  dedupe_window seen{10};
  auto garbage = inspect_delivery(std::string("\xc1\xc1", 2), "x", "me", topic::signals, seen, content_type_msgpack);
  EXPECT_EQ(garbage.what, verdict::dead_letter);
  EXPECT_EQ(garbage.reason, "cannot decode: not MessagePack");
  auto xml = inspect_delivery("<bar/>", "x", "me", topic::signals, seen, "application/xml");
  EXPECT_EQ(xml.what, verdict::dead_letter);
  EXPECT_EQ(xml.reason, "unsupported content type \"application/xml\" (use application/json or application/msgpack)");
  // MessagePack of a valid document that is not an envelope: the envelope's own error.
  std::string not_envelope("\x81\xa1t\x01", 4); // {"t": 1}
  auto wrong = inspect_delivery(not_envelope, "x", "me", topic::signals, seen, content_type_msgpack);
  EXPECT_EQ(wrong.what, verdict::dead_letter);
  EXPECT_EQ(wrong.reason, "cannot decode: field 'type': missing required field");
  EXPECT_EQ(seen.size(), 0u);
}

TEST(amqp_wire, deeply_nested_payloads_are_dead_lettered_not_recursed_into) {
  dedupe_window seen{10};
  // JSON: 80,000 nested arrays inside an envelope.
  std::string deep_json = R"({"type":"fill","schema_version":1,"data":)" + std::string(80'000, '[')
                          + std::string(80'000, ']') + "}";
  auto text = inspect_delivery(deep_json, "x", "me", topic::signals, seen, "");
  EXPECT_EQ(text.what, verdict::dead_letter);
  EXPECT_NE(text.reason.find("nesting deeper than 32 levels"), std::string::npos) << text.reason;
  // MessagePack: 100,000 nested one-element arrays (would recurse in dump()).
  std::string deep_pack(100'000, '\x91');
  deep_pack += '\xc0';
  auto packed = inspect_delivery(deep_pack, "x", "me", topic::signals, seen, content_type_msgpack);
  EXPECT_EQ(packed.what, verdict::dead_letter);
  EXPECT_NE(packed.reason.find("nesting deeper than 32 levels"), std::string::npos) << packed.reason;
  EXPECT_LT(packed.reason.size(), 300u);
  EXPECT_EQ(seen.size(), 0u);
}

namespace tradewind::amqp {
namespace {

// Found by fuzz_amqp_delivery: a MessagePack envelope whose "type" string holds invalid UTF-8
// (bytes 0x99 0x8d 0x92 0x9e) made the JSON conversion throw out of the consumer.
TEST(amqp_wire, messagepack_with_invalid_utf8_is_dead_lettered_not_thrown) {
  const unsigned char bytes[] = {
    0x83, 0xa4, 'd', 'a', 't', 'a', 0x83, 0xad, 'e', 'n', 'd', '_', 'o', 'f', '_', 's', 't', 'r', 'e', 'a', 'm',
    0xc2, 0xa6, 's', 'o', 'u', 'r', 'c', 'e', 0xab, 's', 't', 'r', 'a', 't', 'e', 'g', 'y', ':', 'm', 'a',
    0xa5, 't', 's', '_', 'm', 's', 0x05, 0xae, 's', 'c', 'h', 'e', 'm', 'a', '_', 'v', 'e', 'r', 's', 'i', 'o',
    'n', 0x01, 0xa4, 't', 'y', 'p', 'e', 0xa9, 'w', 'a', 't', 0x99, 0x8d, 0x92, 0x9e, 'r', 'k'};
  dedupe_window seen{10};
  inspection r;
  EXPECT_NO_THROW(r = inspect_delivery(std::string(reinterpret_cast<const char*>(bytes), sizeof bytes), "x", "me",
                                       topic::signals, seen, content_type_msgpack));
  EXPECT_EQ(r.what, verdict::dead_letter);
  EXPECT_THAT(r.reason, testing::StartsWith("cannot decode: "));
  EXPECT_EQ(seen.size(), 0u);
}

} // namespace
} // namespace tradewind::amqp

TEST(amqp_wire, trading_state_changes_cross_on_the_control_topic_to_a_bridge_on_another_node) {
  auto r = route(topic::control, "control.{type}");
  trading_state_changed c;
  c.node = "trading";
  c.scope = scope_kind::strategy;
  c.scope_id = "s1";
  c.state = trading_state::halted;
  c.cause = state_cause::operator_command;
  c.ts_ms = 1000;
  c.detail = "halt strategy s1 by api:k1";
  auto m = make_outgoing(json::any_message{c}, publication_of(topic::control, r), "trading", "t", 0);
  EXPECT_EQ(m.routing_key, "control.trading_state_changed");
  EXPECT_EQ(m.type, "trading_state_changed");
  dedupe_window seen{10};
  auto got = inspect_delivery(m.body, "trading", "dashboard", topic::control, seen);
  ASSERT_EQ(got.what, verdict::deliver) << got.reason;
  auto heard = std::get<trading_state_changed>(*got.message);
  EXPECT_EQ(heard.scope_id, "s1");
  EXPECT_EQ(heard.state, trading_state::halted);
  EXPECT_EQ(heard.cause, state_cause::operator_command);
  EXPECT_EQ(heard.detail, c.detail);
}
