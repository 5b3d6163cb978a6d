// Desired broker state, definitions JSON shape, and the plan (create / unchanged / conflict).

#include "net/redact.hpp"
#include "topology/export_definitions.hpp"
#include "topology/plan.hpp"
#include "net/url.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "topology/loader.hpp"
#include "topology_test_util.hpp"

using namespace tradewind;
using namespace tradewind::topology;
using namespace tradewind::topology_test;
using testing::ElementsAre;

namespace {

broker_state cluster_state() {
  auto r = load_file(example("cluster.yaml"));
  EXPECT_TRUE(r.topology) << format_errors(r.errors, "cluster.yaml");
  return r.topology ? desired_state(*r.topology) : broker_state{};
}

} // namespace

TEST(topology_export, definitions_have_the_rabbitmq_shape) {
  auto doc = nlohmann::json::parse(export_definitions(cluster_state()));
  EXPECT_EQ(doc["vhosts"], nlohmann::json::parse(R"([{"name":"/"}])"));
  ASSERT_EQ(doc["exchanges"].size(), 6u);
  EXPECT_EQ(doc["exchanges"][0], nlohmann::json::parse(R"({"name":"market_data","vhost":"/","type":"topic",
      "durable":true,"auto_delete":false,"internal":false,"arguments":{}})"));
  ASSERT_EQ(doc["queues"].size(), 10u);
  EXPECT_EQ(doc["queues"][0], nlohmann::json::parse(R"({"name":"strategy-1.market_data","vhost":"/","durable":true,
      "auto_delete":false,"arguments":{"x-queue-type":"stream","x-max-age":"1D"}})"));
  EXPECT_EQ(doc["queues"][2]["arguments"],
            nlohmann::json::parse(R"({"x-queue-type":"quorum","x-dead-letter-exchange":"dlx","x-delivery-limit":5})"));
  EXPECT_EQ(doc["queues"][5]["arguments"],
            nlohmann::json::parse(R"({"x-dead-letter-exchange":"dlx","x-max-length":100000})"));
  ASSERT_EQ(doc["bindings"].size(), 14u);
  EXPECT_EQ(doc["bindings"][6], nlohmann::json::parse(R"({"source":"market_data","vhost":"/",
      "destination":"trading.market_data","destination_type":"queue","routing_key":"md.*","arguments":{}})"));
}

TEST(topology_export, consistent_hash_bindings_carry_the_weight_as_key) {
  model m;
  m.exchanges.push_back({"ch", exchange_type::consistent_hash, true, false});
  m.queues.push_back(queue_decl{});
  m.queues[0].name = "q";
  m.bindings.push_back({"ch", "q", "", 3});
  auto s = desired_state(m);
  ASSERT_EQ(s.bindings.size(), 1u);
  EXPECT_EQ(s.bindings[0].routing_key, "3");
  EXPECT_EQ(s.exchanges[0].type, "x-consistent-hash");
}

TEST(topology_plan, everything_is_created_on_an_empty_broker_and_unchanged_after) {
  auto desired = cluster_state();
  auto p = make_plan(desired, broker_state{"/", {}, {}, {}});
  EXPECT_EQ(p.count(change_kind::create), 30u);
  EXPECT_EQ(p.count(change_kind::create, object_kind::queue), 10u);
  EXPECT_FALSE(p.has_conflicts());
  auto again = make_plan(desired, desired);
  EXPECT_EQ(again.count(change_kind::unchanged), 30u);
  EXPECT_EQ(again.count(change_kind::create), 0u);
}

TEST(topology_plan, conflicts_say_what_differs) {
  auto desired = cluster_state();
  auto actual = desired;
  actual.exchanges[0].type = "fanout";
  actual.queues[0].arguments["x-delivery-limit"] = int64_t{3};
  actual.queues[1].arguments.erase("x-max-age");
  actual.queues[2].arguments["x-max-length"] = int64_t{10};
  actual.queues[3].durable = false;
  auto p = make_plan(desired, actual);
  std::vector<std::string> conflicts;
  for (const auto& i : p.items)
    if (i.change == change_kind::conflict)
      conflicts.push_back(std::string(to_string(i.object)) + " " + i.name + ": " + i.detail);
  EXPECT_THAT(conflicts,
              ElementsAre("exchange market_data: type is fanout on the broker, topic in the topology",
                          "queue strategy-1.market_data: x-delivery-limit is 3 on the broker, not set in the topology",
                          "queue strategy-2.market_data: x-max-age is not set on the broker, \"1D\" in the topology",
                          "queue trading.market_data: x-max-length is 10 on the broker, not set in the topology",
                          "queue trading.signals: durable is false on the broker, true in the topology"));
}

TEST(topology_plan, format_lists_items_and_a_summary) {
  broker_state desired{"/", {{"ex", "topic", true, false, false, {}}}, {{"q", true, false, {{"x-max-length", int64_t{5}}}}},
                       {{"ex", "q", "k.#", {}}}};
  broker_state actual{"/", {{"ex", "topic", true, false, false, {}}}, {{"q", true, false, {}}}, {}};
  EXPECT_EQ(format_plan(make_plan(desired, actual)),
            "  unchanged  exchange ex\n"
            "  conflict   queue q: x-max-length is not set on the broker, 5 in the topology\n"
            "  create     binding ex -> q [k.#]\n"
            "1 to create, 1 unchanged, 1 conflict\n");
}

