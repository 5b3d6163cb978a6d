// Loading: the example files, typed decoding, strictness (unknown keys with paths), all
// errors at once with lines, YAML syntax and file errors.

#include "topology/loader.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "topology_test_util.hpp"

using namespace tradewind;
using namespace tradewind::topology;
using namespace tradewind::topology_test;
using testing::ElementsAre;

TEST(topology_examples, every_example_is_valid) {
  for (const char* name : {"default.yaml", "single-node.yaml", "cluster.yaml"}) {
    auto r = load_file(example(name));
    EXPECT_TRUE(r.errors.empty()) << name << ":\n" << format_errors(r.errors, name);
    EXPECT_TRUE(r.topology) << name;
  }
}

TEST(topology_examples, cluster_yaml_decodes_to_the_documented_model) {
  auto r = load_file(example("cluster.yaml"));
  ASSERT_TRUE(r.topology) << format_errors(r.errors, "cluster.yaml");
  const model& m = *r.topology;
  EXPECT_EQ(m.vhost, "/");
  ASSERT_EQ(m.exchanges.size(), 6u);
  EXPECT_EQ(m.exchanges[0].name, "market_data");
  EXPECT_EQ(m.exchanges[0].type, exchange_type::topic);
  EXPECT_TRUE(m.exchanges[0].durable);
  EXPECT_FALSE(m.exchanges[0].auto_delete);
  EXPECT_EQ(m.exchanges[5].name, "dlx");
  ASSERT_EQ(m.nodes.size(), 4u);
  EXPECT_EQ(m.nodes[1].name, "strategy-1");
  ASSERT_EQ(m.nodes[1].actors.size(), 1u);
  EXPECT_EQ(m.nodes[1].actors[0].kind, actor_kind::strategy);
  EXPECT_THAT(m.nodes[1].actors[0].strategies, ElementsAre("btc-ma-12-48", "btc-ma-50-200"));
  EXPECT_EQ(m.nodes[3].actors.size(), 5u);
  ASSERT_EQ(m.queues.size(), 10u);
  const queue_decl& q = m.queues[0];
  EXPECT_EQ(q.name, "strategy-1.market_data");
  EXPECT_EQ(q.type, queue_type::stream);
  EXPECT_EQ(q.node, "strategy-1");
  EXPECT_EQ(q.consumed_topic, topic::market_data);
  EXPECT_EQ(q.max_age, "1D");
  EXPECT_FALSE(q.delivery_limit);
  EXPECT_EQ(q.dead_letter_exchange, "dlx");
  EXPECT_FALSE(q.max_length);
  EXPECT_EQ(m.queues[2].type, queue_type::quorum);
  EXPECT_EQ(m.queues[2].delivery_limit, 5);
  EXPECT_EQ(m.queues[5].max_length, 100000);
  EXPECT_EQ(m.queues[5].type, queue_type::classic);
  ASSERT_EQ(m.routes.size(), 7u);
  EXPECT_EQ(m.routes[0].id, topic::market_data);
  EXPECT_EQ(m.routes[0].routing_key, "md.{shard}");
  EXPECT_EQ(m.routes[0].shards, 4);
  ASSERT_EQ(m.bindings.size(), 14u);
  EXPECT_EQ(m.bindings[6].routing_key, "md.*");
  EXPECT_EQ(m.base_dir, source_path("topology/examples"));
}

TEST(topology_loader, unknown_keys_are_rejected_with_their_path_and_all_errors_come_at_once) {
  auto r = load_text(R"(version: 1
exchanges:
  - {name: a, type: topic, durabel: true}
queues:
  - {name: q, typ: quorum}
nodez: []
)");
  EXPECT_THAT(messages(r), ElementsAre("exchanges[0].durabel: unknown key (did you mean durable?)",
                                       "queues[0]: queue \"q\" has no binding",
                                       "queues[0].typ: unknown key (did you mean type?)",
                                       "nodez: unknown key (did you mean nodes?)",
                                       "nodes: at least one node is required"));
  EXPECT_EQ(r.errors[0].line, 3);
  EXPECT_EQ(r.errors[0].column, 28);
  EXPECT_EQ(r.errors[3].line, 6);
  EXPECT_EQ(r.errors[4].line, 0); // a missing key has no position
  EXPECT_FALSE(r.topology);
}

TEST(topology_loader, bad_values_name_the_expected_choices) {
  auto r = load_text(R"(exchanges:
  - {name: a, type: round-robin, durable: yes}
queues:
  - {name: q, type: lazy, max_length: lots}
routes:
  - {topic: quotes, exchange: a}
nodes:
  - name: n
    config: c.yaml
    actors: [{kind: trader}]
bindings:
  - {exchange: a, queue: q, routing_key: "#"}
)");
  EXPECT_THAT(messages(r),
              ElementsAre("exchanges[0].type: unknown exchange type \"round-robin\" (expected one of "
                          "direct|topic|fanout|headers|x-consistent-hash)",
                          "exchanges[0].durable: expected true or false, got \"yes\"",
                          "queues[0].type: unknown queue type \"lazy\" (expected one of classic|quorum|stream)",
                          "queues[0].max_length: expected an integer, got \"lots\"",
                          "routes[0].topic: unknown topic \"quotes\" (expected one of "
                          "market_data|signals|orders|executions|account|alerts|control)",
                          "nodes[0].actors[0].kind: unknown actor kind \"trader\" (expected one of "
                          "collector|strategy|risk|executor|portfolio|notifier|store)"));
}

TEST(topology_loader, required_keys_and_version) {
  auto r = load_text(R"(version: 2
exchanges:
  - {type: topic}
nodes:
  - actors: [{config: c.yaml}]
)");
  EXPECT_THAT(messages(r), ElementsAre("version: unsupported version 2 (this build reads version 1)",
                                       "exchanges[0].name: is required", "nodes[0].name: is required",
                                       "nodes[0].actors[0].kind: is required"));
}

TEST(topology_loader, yaml_syntax_errors_have_a_position) {
  auto r = load_text("exchanges: [\n");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].path, "");
  EXPECT_EQ(r.errors[0].message().rfind("invalid YAML at line ", 0), 0u) << r.errors[0].message();
}

TEST(topology_loader, a_missing_file_is_one_error) {
  auto r = load_file("/nonexistent/topology.yaml");
  EXPECT_THAT(messages(r), ElementsAre("cannot read topology file /nonexistent/topology.yaml: No such file or directory"));
}

TEST(topology_loader, format_errors_prefixes_file_and_line) {
  auto r = load_text("nodes: []\nfoo: 1\n");
  EXPECT_EQ(format_errors(r.errors, "t.yaml"),
            "t.yaml:1: nodes: at least one node is required\n"
            "t.yaml:2: foo: unknown key (expected one of version, vhost, exchanges, queues, bindings, routes, nodes)\n");
}
