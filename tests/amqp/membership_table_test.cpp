// Node membership, pure logic: joining, refreshing, expiring, the listing.

#include "bridge/amqp/membership_table.hpp"

#include <gmock/gmock.h>


using namespace tradewind;
using namespace tradewind::amqp;
using testing::ElementsAre;

namespace {

heartbeat beat(std::string node, uint64_t seq, int64_t ts, std::vector<std::string> actors = {}) {
  return heartbeat{std::move(node), seq, ts, std::move(actors), trading_state::active};
}

std::vector<std::string> nodes(const membership_table& t) {
  std::vector<std::string> out;
  for (const auto& m : t.members())
    out.push_back(m.node);
  return out;
}

} // namespace

TEST(membership_table, a_first_heartbeat_joins_later_ones_refresh_sorted_by_name) {
  membership_table t;
  EXPECT_TRUE(t.update(beat("trading", 1, 100, {"risk"}), 1'000));
  EXPECT_TRUE(t.update(beat("collector", 1, 200, {"collector"}), 1'100));
  EXPECT_FALSE(t.update(beat("trading", 2, 300, {"risk", "executor"}), 1'200));
  EXPECT_THAT(nodes(t), ElementsAre("collector", "trading"));
  const auto& tr = t.members()[1];
  EXPECT_EQ(tr.seq, 2u);
  EXPECT_EQ(tr.sent_ms, 300);
  EXPECT_EQ(tr.last_seen_ms, 1'200);
  EXPECT_THAT(tr.actors, ElementsAre("risk", "executor"));
}

TEST(membership_table, a_restarted_node_starting_again_at_seq_1_is_refreshed) {
  membership_table t;
  t.update(beat("a", 40, 100), 1'000);
  EXPECT_FALSE(t.update(beat("a", 1, 900), 2'000));
  EXPECT_EQ(t.members()[0].seq, 1u);
  EXPECT_EQ(t.members()[0].last_seen_ms, 2'000);
}

TEST(membership_table, nodes_silent_for_longer_than_the_limit_are_lost) {
  membership_table t;
  t.update(beat("a", 1, 0), 1'000);
  t.update(beat("b", 1, 0), 2'000);
  EXPECT_TRUE(t.expire(2'500, 1'500).empty()); // a: 1500 ms, not more
  EXPECT_THAT(t.expire(2'501, 1'500), ElementsAre("a"));
  EXPECT_THAT(nodes(t), ElementsAre("b"));
}

TEST(membership_table, the_listing_shows_members_then_declared_nodes_not_seen) {
  membership_table t;
  t.update(beat("collector", 7, 0, {"collector"}), 10'000);
  t.update(beat("trading", 3, 0, {"risk", "executor"}), 11'500);
  EXPECT_EQ(format_members(t.members(), {"collector", "strategy-1", "trading"}, 12'000),
            "NODE        STATE    LAST_SEEN  SEQ    ACTORS\n"
            "collector   active   2.0s ago   7      collector\n"
            "trading     active   0.5s ago   3      risk,executor\n"
            "strategy-1  not seen\n");
}

TEST(membership_table, heartbeats_use_the_control_routes_exchange_and_actor_names_expand_strategies) {
  topology::model m;
  m.routes.push_back(topology::route_decl{topic::control, "sys", "control.{node}", 0});
  topology::node_decl n1{"n1", "", {}};
  n1.actors.push_back({topology::actor_kind::collector, "", {}});
  n1.actors.push_back({topology::actor_kind::strategy, "", {"a", "b"}});
  n1.actors.push_back({topology::actor_kind::risk, "", {}});
  EXPECT_EQ(membership_exchange(m), "sys");
  EXPECT_THAT(actor_names(n1), ElementsAre("collector", "strategy:a", "strategy:b", "risk"));
  EXPECT_EQ(membership_exchange(topology::model{}), "system");
}

TEST(membership_table, the_heir_of_a_lost_strategy_node_is_the_first_remaining_strategy_node) {
  topology::model m;
  auto node = [](std::string name, topology::actor_kind kind) {
    topology::node_decl n;
    n.name = std::move(name);
    topology::actor_decl a;
    a.kind = kind;
    if (kind == topology::actor_kind::strategy)
      a.strategies = {"s"};
    n.actors.push_back(a);
    return n;
  };
  m.nodes = {node("collector", topology::actor_kind::collector), node("strategy-1", topology::actor_kind::strategy),
             node("strategy-3", topology::actor_kind::strategy), node("strategy-2", topology::actor_kind::strategy),
             node("trading", topology::actor_kind::risk)};
  auto remaining = [](std::vector<std::string> names) {
    std::vector<member> out;
    for (auto& n : names)
      out.push_back(member{n, {}, 1, trading_state::active, 0, 0});
    return out;
  };
  EXPECT_EQ(heir_of(m, "strategy-1", remaining({"collector", "strategy-3", "strategy-2", "trading"})), "strategy-2");
  EXPECT_EQ(heir_of(m, "strategy-2", remaining({"collector", "strategy-3", "trading"})), "strategy-3");
  // Only strategy roles move; no strategy node left: nobody.
  EXPECT_EQ(heir_of(m, "trading", remaining({"collector", "strategy-2"})), "");
  EXPECT_EQ(heir_of(m, "strategy-1", remaining({"collector", "trading"})), "");
  // A node the topology does not declare neither is nor has an heir.
  EXPECT_EQ(heir_of(m, "ghost", remaining({"strategy-2"})), "");
  EXPECT_EQ(heir_of(m, "strategy-1", remaining({"ghost", "strategy-3"})), "strategy-3");
}

TEST(membership_table, silence_this_node_could_not_hear_does_not_count) {
  membership_table t;
  t.update(beat("strategy-1", 1, 0, {"strategy:s"}), 1'000);
  t.update(beat("strategy-2", 1, 0, {"strategy:s"}), 1'000);
  // This node's own connection was down from 1 s to 30 s; back at 30 s it counts everyone
  // as heard of then, so nobody is lost at 31 s with a 15 s limit.
  t.refresh_all(30'000);
  EXPECT_TRUE(t.expire(31'000, 15'000).empty());
  EXPECT_EQ(t.expire(45'001, 15'000), (std::vector<std::string>{"strategy-1", "strategy-2"}));
}
