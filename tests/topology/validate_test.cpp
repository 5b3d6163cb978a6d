// Validation rules, each with its exact error text (documented in topology/examples/README.md).

#include "topology/validate.hpp"

#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "topology/broker_state.hpp"
#include "topology/loader.hpp"
#include "topology_test_util.hpp"

using namespace tradewind;
using namespace tradewind::topology;
using namespace tradewind::topology_test;
using testing::Contains;
using testing::ElementsAre;
using testing::IsEmpty;

namespace {

/// A valid two-node topology: `feed` runs the collector, `trade` everything else.
const std::string base = R"(exchanges:
  - {name: md, type: topic}
  - {name: sys, type: topic}
  - {name: dlx, type: topic}
routes:
  - {topic: market_data, exchange: md, routing_key: "md.{shard}", shards: 2}
  - {topic: account, exchange: sys, routing_key: "account.{type}"}
  - {topic: alerts, exchange: sys, routing_key: "alerts.{node}"}
  - {topic: control, exchange: sys, routing_key: "control.{node}"}
nodes:
  - name: feed
    config: c.yaml
    actors: [{kind: collector}]
  - name: trade
    config: c.yaml
    actors:
      - {kind: strategy, strategies: [s1]}
      - {kind: risk}
      - {kind: executor}
      - {kind: portfolio}
      - {kind: notifier}
queues:
  - {name: trade.md, node: trade, topic: market_data, type: quorum, delivery_limit: 5, dead_letter_exchange: dlx}
  - {name: trade.alerts, node: trade, topic: alerts, dead_letter_exchange: dlx}
  - {name: trade.control, node: trade, topic: control, dead_letter_exchange: dlx}
  - {name: feed.account, node: feed, topic: account, dead_letter_exchange: dlx}
  - {name: dead, type: quorum}
bindings:
  - {exchange: md, queue: trade.md, routing_key: "md.*"}
  - {exchange: sys, queue: trade.alerts, routing_key: "alerts.*"}
  - {exchange: sys, queue: trade.control, routing_key: "control.*"}
  - {exchange: sys, queue: feed.account, routing_key: "account.*"}
  - {exchange: dlx, queue: dead, routing_key: "#"}
)";

/// `base` with the first occurrence of `from` replaced by `to` (which must exist).
std::string edit(const std::string& from, const std::string& to, std::string text = base) {
  auto pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  if (pos != std::string::npos)
    text.replace(pos, from.size(), to);
  return text;
}

std::vector<std::string> errors_of(const std::string& yaml) {
  return messages(load_text(yaml));
}

} // namespace

TEST(topology_validate, the_base_topology_is_valid) {
  EXPECT_THAT(errors_of(base), IsEmpty());
}

TEST(topology_validate, unknown_node) {
  EXPECT_THAT(errors_of(edit("node: trade, topic: control", "node: trader, topic: control")),
              ElementsAre("nodes[1]: node \"trade\" consumes topic control from feed but has no queue for it (add a "
                          "queue with node: trade, topic: control)",
                          "queues[2].node: unknown node \"trader\""));
}

TEST(topology_validate, a_queue_for_a_topic_the_node_does_not_consume) {
  EXPECT_THAT(errors_of(edit("node: feed, topic: account", "node: feed, topic: signals")),
              ElementsAre("nodes[0]: node \"feed\" consumes topic account from trade but has no queue for it (add a "
                          "queue with node: feed, topic: account)",
                          "queues[3].topic: node \"feed\" runs no actor that consumes topic signals"));
}

TEST(topology_validate, a_message_type_nobody_consumes) {
  EXPECT_THAT(errors_of("nodes:\n  - {name: feed, config: c.yaml, actors: [{kind: collector}]}\n"),
              ElementsAre("nodes[0]: node \"feed\" publishes bar, trade_tick, watermark (topic market_data) but "
                          "nobody consumes them"));
  EXPECT_THAT(errors_of("exchanges: [{name: x}]\nroutes: [{topic: signals, exchange: x}]\nnodes:\n"
                        "  - name: n\n    config: c.yaml\n    actors: [{kind: collector}, {kind: strategy, strategies: [s]},"
                        " {kind: executor}, {kind: portfolio}]\n"),
              ElementsAre("routes[0]: nobody consumes topic signals (signal, watermark)",
                          "nodes[0]: node \"n\" publishes signal, watermark (topic signals) but nobody consumes them"));
}

TEST(topology_validate, a_consumer_with_no_binding) {
  EXPECT_THAT(errors_of(edit("routing_key: \"md.*\"", "routing_key: \"mdx.*\"")),
              ElementsAre("queues[0]: queue \"trade.md\" has no binding that matches route market_data (exchange "
                          "\"md\", keys md.0, md.1, md.all)"));
}

TEST(topology_validate, a_consumer_queue_that_misses_the_broadcast_key) {
  EXPECT_THAT(errors_of(edit("routing_key: \"md.*\"", "routing_key: \"md.0\"}\n  - {exchange: md, queue: trade.md, "
                                                       "routing_key: \"md.1\"")),
              ElementsAre("queues[0]: queue \"trade.md\" misses keys of route market_data: \"md.all\" (watermark "
                          "from feed)"));
}

TEST(topology_validate, a_topic_crossing_nodes_without_a_route) {
  EXPECT_THAT(errors_of(edit("  - {topic: alerts, exchange: sys, routing_key: \"alerts.{node}\"}\n", "")),
              ElementsAre("nodes[1]: node \"trade\" consumes topic alerts (alert) from feed, but no route carries it"));
}

TEST(topology_validate, a_queue_bound_to_a_missing_exchange) {
  EXPECT_THAT(errors_of(edit("{exchange: sys, queue: trade.alerts", "{exchange: system, queue: trade.alerts")),
              ElementsAre("queues[1]: queue \"trade.alerts\" has no binding that matches route alerts (exchange "
                          "\"sys\", keys alerts.feed)",
                          "bindings[1].exchange: queue \"trade.alerts\" is bound to missing exchange \"system\""));
}

TEST(topology_validate, unknown_exchanges_and_queues_elsewhere) {
  auto text = edit("dead_letter_exchange: dlx}\n  - {name: trade.alerts", "dead_letter_exchange: dl}\n  - {name: trade.alerts");
  text = edit("{topic: account, exchange: sys", "{topic: account, exchange: sys2", text);
  text = edit("queue: dead,", "queue: deadx,", text);
  EXPECT_THAT(errors_of(text),
              ElementsAre("routes[1].exchange: unknown exchange \"sys2\"",
                          "queues[0].dead_letter_exchange: unknown exchange \"dl\"",
                          "queues[1].dead_letter_exchange: dead-letter exchange \"dlx\" has no queue bound "
                          "(dead-lettered messages would be lost)",
                          "queues[4]: queue \"dead\" has no binding",
                          "bindings[4].queue: unknown queue \"deadx\""));
}

TEST(topology_validate, duplicate_names) {
  auto text = edit("  - {name: dlx, type: topic}", "  - {name: dlx, type: topic}\n  - {name: md, type: fanout}");
  text = edit("  - {name: dead, type: quorum}", "  - {name: dead, type: quorum}\n  - {name: dead}", text);
  text = edit("  - name: trade\n", "  - name: feed\n    config: c.yaml\n    actors: [{kind: store}]\n  - name: trade\n", text);
  text = edit("  - {exchange: dlx, queue: dead, routing_key: \"#\"}",
              "  - {exchange: dlx, queue: dead, routing_key: \"#\"}\n  - {exchange: dlx, queue: dead, routing_key: \"#\"}",
              text);
  EXPECT_THAT(errors_of(text),
              ElementsAre("exchanges[3].name: duplicate exchange name \"md\" (first at exchanges[0])",
                          "nodes[1].name: duplicate node name \"feed\" (first at nodes[0])",
                          "queues[5].name: duplicate queue name \"dead\" (first at queues[4])",
                          "bindings[5]: duplicate binding (same as bindings[4])"));
}

TEST(topology_validate, duplicate_actor_kinds_routes_and_strategy_ids) {
  auto text = edit("[{kind: collector}]", "[{kind: collector}, {kind: collector}]");
  text = edit("strategies: [s1]", "strategies: [s1, s1]", text);
  text = edit("  - {topic: control,", "  - {topic: alerts, exchange: sys}\n  - {topic: control,", text);
  EXPECT_THAT(errors_of(text),
              ElementsAre("routes[3].topic: duplicate route for topic alerts (first at routes[2])",
                          "nodes[0].actors[1].kind: duplicate actor kind collector on node \"feed\" (first at "
                          "nodes[0].actors[0])",
                          "nodes[1].actors[0].strategies[1]: duplicate strategy id \"s1\" on node \"trade\""));
}

TEST(topology_validate, quorum_queue_without_delivery_limit) {
  EXPECT_THAT(errors_of(edit("type: quorum, delivery_limit: 5,", "type: quorum,")),
              ElementsAre("queues[0]: quorum queue \"trade.md\" is consumed by node \"trade\" and needs delivery_limit "
                          "(RabbitMQ 3.10 has no default: a poison message would be redelivered forever)"));
}

TEST(topology_validate, queue_arguments_and_types) {
  auto text = edit("topic: alerts, dead_letter_exchange: dlx}",
                   "topic: alerts, dead_letter_exchange: dlx, delivery_limit: 3, max_length: 0, message_ttl_ms: -1}");
  text = edit("{name: dead, type: quorum}", "{name: dead, type: quorum, durable: false, dead_letter_routing_key: x}", text);
  EXPECT_THAT(errors_of(text),
              ElementsAre("queues[1].delivery_limit: delivery_limit applies to quorum queues only",
                          "queues[1].max_length: must be > 0, got 0",
                          "queues[1].message_ttl_ms: must be >= 0, got -1",
                          "queues[4].durable: quorum queues must be durable",
                          "queues[4].dead_letter_routing_key: dead_letter_routing_key needs dead_letter_exchange"));
}

TEST(topology_validate, queue_from_another_node_without_dead_letter_exchange) {
  EXPECT_THAT(errors_of(edit("topic: alerts, dead_letter_exchange: dlx}", "topic: alerts}")),
              ElementsAre("queues[1]: queue \"trade.alerts\" receives messages from other nodes (feed) and needs "
                          "dead_letter_exchange"));
}

TEST(topology_validate, a_dead_letter_exchange_with_no_queue) {
  EXPECT_THAT(errors_of(edit("  - {exchange: dlx, queue: dead, routing_key: \"#\"}\n", "")),
              ElementsAre("queues[0].dead_letter_exchange: dead-letter exchange \"dlx\" has no queue bound "
                          "(dead-lettered messages would be lost)",
                          "queues[4]: queue \"dead\" has no binding"));
}

TEST(topology_validate, node_and_topic_go_together) {
  EXPECT_THAT(errors_of(edit("{name: dead, type: quorum}", "{name: dead, type: quorum, node: trade}")),
              ElementsAre("queues[4]: node and topic go together: give both or neither"));
}

TEST(topology_validate, route_rules) {
  auto text = edit("{name: sys, type: topic}", "{name: sys, type: topic}\n  - {name: hdr, type: headers}");
  text = edit("routing_key: \"md.{shard}\", shards: 2", "routing_key: \"md.{symbol}.{shard}\", shards: 2", text);
  text = edit("routing_key: \"account.{type}\"}", "routing_key: \"account.{type}\", shards: 3}", text);
  text = edit("  - {topic: control, exchange: sys,", "  - {topic: control, exchange: hdr,", text);
  // the market_data route now has an unknown placeholder, so its keys are not checked
  auto errors = errors_of(text);
  EXPECT_THAT(errors, ElementsAre("routes[0].routing_key: unknown placeholder {symbol} (use {type}, {node} or {shard})",
                                  "routes[1].shards: shards needs {shard} in routing_key",
                                  "routes[3].exchange: exchange \"hdr\" has type headers; routes publish by routing "
                                  "key: use a topic, direct or fanout exchange"));
  EXPECT_THAT(errors_of(edit("routing_key: \"md.{shard}\", shards: 2", "routing_key: \"md.{shard}\"")),
              ElementsAre("routes[0].routing_key: {shard} needs shards >= 1"));
}

TEST(topology_validate, consistent_hash_bindings_need_a_weight) {
  auto text = edit("{name: dlx, type: topic}", "{name: dlx, type: topic}\n  - {name: ch, type: x-consistent-hash}");
  text = edit("  - {exchange: dlx, queue: dead, routing_key: \"#\"}",
              "  - {exchange: dlx, queue: dead, routing_key: \"#\"}\n  - {exchange: ch, queue: dead, routing_key: a}\n"
              "  - {exchange: ch, queue: trade.md, weight: 0}\n  - {exchange: sys, queue: dead, routing_key: b, weight: 2}",
              text);
  EXPECT_THAT(errors_of(text),
              ElementsAre("bindings[5]: exchange \"ch\" is x-consistent-hash: give weight (a positive integer), not "
                          "routing_key",
                          "bindings[6].weight: must be > 0, got 0",
                          "bindings[7].weight: weight applies to x-consistent-hash exchanges only"));
}

TEST(topology_validate, singleton_actors_run_on_one_node) {
  EXPECT_THAT(errors_of(edit("[{kind: collector}]", "[{kind: collector}, {kind: risk}]")),
              ElementsAre("nodes[1].actors[1].kind: actor risk already runs on node \"feed\"; risk, executor and "
                          "portfolio run on exactly one node"));
}

TEST(topology_validate, strategy_actors_need_ids_and_others_take_none) {
  auto text = edit("strategies: [s1]", "strategies: [S 1]");
  text = edit("{kind: notifier}", "{kind: notifier, strategies: [x]}", text);
  EXPECT_THAT(errors_of(text),
              ElementsAre("nodes[1].actors[0].strategies[0]: invalid strategy id \"S 1\": use a-z, 0-9, '_' and '-'",
                          "nodes[1].actors[4].strategies: strategies applies to strategy actors only"));
  EXPECT_THAT(errors_of(edit("{kind: strategy, strategies: [s1]}", "{kind: strategy}")),
              ElementsAre("nodes[1].actors[0].strategies: a strategy actor needs at least one strategy id"));
}

TEST(topology_validate, invalid_and_reserved_names) {
  auto text = edit("{name: sys, type: topic}", "{name: amq.sys, type: topic}\n  - {name: \"a b\"}");
  text = edit("  - name: feed\n", "  - name: Feed\n", text);
  auto errors = errors_of(text);
  EXPECT_THAT(errors, Contains("exchanges[1].name: invalid name \"amq.sys\": names starting with \"amq.\" are "
                               "reserved by RabbitMQ"));
  EXPECT_THAT(errors, Contains("exchanges[2].name: invalid name \"a b\": use letters, digits, '.', '_', ':' and '-'"));
  EXPECT_THAT(errors, Contains("nodes[0].name: invalid node name \"Feed\": use a-z, 0-9, '_' and '-'"));
}

TEST(topology_validate, shards_need_exactly_one_owner_per_strategy) {
  // Two strategy nodes: s1 on both with overlapping shards, nothing for shard 1 of s2.
  std::string text = edit("  - name: trade\n",
                          "  - name: strat-a\n    config: c.yaml\n    actors: [{kind: strategy, strategies: [s1, s2]}]\n"
                          "  - name: strat-b\n    config: c.yaml\n    actors: [{kind: strategy, strategies: [s1]}]\n"
                          "  - name: trade\n");
  text = edit("      - {kind: strategy, strategies: [s1]}\n", "", text);
  text = edit("  - {name: dead, type: quorum}",
              "  - {name: dead, type: quorum}\n"
              "  - {name: a.md, node: strat-a, topic: market_data, type: quorum, delivery_limit: 5, dead_letter_exchange: dlx}\n"
              "  - {name: b.md, node: strat-b, topic: market_data, type: quorum, delivery_limit: 5, dead_letter_exchange: dlx}\n"
              "  - {name: a.control, node: strat-a, topic: control, dead_letter_exchange: dlx}\n"
              "  - {name: b.control, node: strat-b, topic: control, dead_letter_exchange: dlx}",
              text);
  text = edit("  - {exchange: dlx, queue: dead, routing_key: \"#\"}",
              "  - {exchange: dlx, queue: dead, routing_key: \"#\"}\n"
              "  - {exchange: md, queue: a.md, routing_key: md.0}\n  - {exchange: md, queue: a.md, routing_key: md.all}\n"
              "  - {exchange: md, queue: b.md, routing_key: \"md.*\"}\n"
              "  - {exchange: sys, queue: a.control, routing_key: \"control.*\"}\n"
              "  - {exchange: sys, queue: b.control, routing_key: \"control.*\"}",
              text);
  EXPECT_THAT(errors_of(text),
              ElementsAre("routes[0]: market_data shard 0 (\"md.0\") reaches strategy s1 on 2 nodes (strat-a, strat-b); "
                          "each symbol must have exactly one owner",
                          "routes[0]: market_data shard 1 (\"md.1\") reaches no node running strategy s2",
                          "nodes[3]: node \"trade\" consumes topic signals (signal, watermark) from strat-a, strat-b, "
                          "but no route carries it"));
}

TEST(topology_validate, config_files_are_checked_next_to_the_topology_file) {
  auto dir = std::filesystem::temp_directory_path() / "tw-topology-validate-test";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "c.yaml") << "node:\n  name: x\n";
  auto ok = load_text(base, dir.string());
  EXPECT_THAT(messages(ok), IsEmpty());
  auto r = load_text(edit("    config: c.yaml\n    actors: [{kind: collector}]", "    config: missing.yaml\n    actors: [{kind: collector}]"), dir.string());
  EXPECT_THAT(messages(r), ElementsAre("nodes[0].config: config file not found: " + (dir / "missing.yaml").string()));
  EXPECT_THAT(errors_of(edit("    config: c.yaml\n    actors: [{kind: collector}]", "    actors: [{kind: collector}]")),
              ElementsAre("nodes[0].actors[0]: no config: set config on the actor or on node \"feed\""));
  std::filesystem::remove_all(dir);
}

TEST(topology_validate, errors_carry_the_line_of_their_key) {
  auto r = load_text(edit("type: quorum, delivery_limit: 5,", "type: quorum,"));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].line, 23); // the first queue's line
}

// Errors come in the order of their keys in the file.
TEST(topology_validate, stream_queues_take_retention_not_per_message_limits) {
  EXPECT_THAT(errors_of(edit("type: quorum, delivery_limit: 5,", "type: stream, max_age: 7D,")), IsEmpty());
  auto text = edit("type: quorum, delivery_limit: 5,", "type: stream, max_age: 7days, max_length: 10, durable: false,"
                   " message_ttl_ms: 5, max_length_bytes: 0,");
  text = edit("{name: trade.alerts, node: trade, topic: alerts,", "{name: trade.alerts, node: trade, topic: alerts, "
              "max_age: 1h,", text);
  EXPECT_THAT(errors_of(text),
              ElementsAre("queues[0].max_age: expected a number followed by Y, M, D, h, m or s (e.g. \"7D\"), got "
                          "\"7days\"",
                          "queues[0].max_length: streams take max_length_bytes or max_age, not max_length",
                          "queues[0].durable: stream queues must be durable",
                          "queues[0].message_ttl_ms: streams take max_age, not message_ttl_ms",
                          "queues[0].max_length_bytes: must be > 0, got 0",
                          "queues[1].max_age: max_age applies to stream queues only"));
}

TEST(topology_validate, stream_queue_arguments_leave_out_dead_lettering) {
  queue_decl q;
  q.name = "s";
  q.type = queue_type::stream;
  q.max_age = "1D";
  q.max_length_bytes = 1'000'000;
  q.dead_letter_exchange = "dlx";
  EXPECT_EQ(queue_arguments(q), (arg_table{{"x-queue-type", std::string("stream")}, {"x-max-age", std::string("1D")},
                                           {"x-max-length-bytes", int64_t{1'000'000}}}));
}
