// Node membership against the real broker: every node's membership actor lists every node,
// `tradewind cluster nodes` lists the running nodes and the silent ones, and a node that stops
// is reported lost.

#include "bridge/amqp/membership.hpp"

#include <chrono>
#include <sstream>

#include "caf/all.hpp"

#include <gmock/gmock.h>

#include "actors/core/bus.hpp"
#include "actors/core/node_context.hpp"
#include "broker_support.hpp"
#include "tools/cluster_cmd.hpp"
#include "topology/amqp_admin.hpp"
#include "topology/loader.hpp"
#include "actors/core/system_config.hpp"

using namespace tradewind;
using namespace tradewind::amqp;
using namespace tradewind::amqp_test;
using testing::HasSubstr;

namespace {

using system_config = node_system_config;

class membership_test : public broker_fixture {
protected:
  void SetUp() override {
    broker_fixture::SetUp();
    if (IsSkipped() || HasFatalFailure())
      return;
    topology_file_ = (dir_ / "topology.yaml").string();
    write_file(dir_ / "node.yaml", "node: {name: x}\n");
    write_file(topology_file_, cluster_topology(vhost_, "node.yaml"));
    auto loaded = topology::load_file(topology_file_);
    ASSERT_TRUE(loaded.topology) << topology::format_errors(loaded.errors, "topology");
    model_ = *loaded.topology;
    settings_.amqp.url = amqp_url_;
    settings_.amqp.heartbeat_s = 5;
    settings_.vhost = vhost_;
    settings_.declarations = topology::desired_state(model_);
    ctx_ = make_node_context("test", "warn");
  }

  caf::actor spawn_node(caf::actor_system& sys, const std::string& node) {
    auto s = settings_;
    s.node = node;
    membership_settings ms;
    ms.exchange = membership_exchange(model_);
    ms.actors = actor_names(*model_.find_node(node));
    ms.interval = std::chrono::milliseconds(500);
    return spawn_membership(sys, s, ms, ctx_);
  }

  /// Asks `actor` for its listing until it names every node of `expected` (at most 30 s).
  static std::string wait_listing(caf::scoped_actor& self, const caf::actor& actor,
                                  const std::vector<std::string>& expected) {
    std::string listing;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      self->request(actor, std::chrono::seconds(5), caf::get_atom::value)
        .receive([&](const std::string& s) { listing = s; }, [&](caf::error&) {});
      bool all = true;
      for (const auto& n : expected)
        all = all && listing.find("\n" + n + " ") != std::string::npos;
      if (all)
        return listing;
      std::this_thread::sleep_for(std::chrono::milliseconds(100)); // polling the actor's view
    }
    return listing;
  }

  std::string topology_file_;
  topology::model model_;
  link_settings settings_;
  std::shared_ptr<node_context> ctx_;
};

} // namespace

TEST_F(membership_test, every_node_lists_every_node_with_its_actors) {
  system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  auto collector = spawn_node(sys, "collector");
  auto trading = spawn_node(sys, "trading");
  for (const auto& a : {collector, trading}) {
    auto listing = wait_listing(self, a, {"collector", "trading"});
    EXPECT_THAT(listing, HasSubstr("collector"));
    EXPECT_THAT(listing, HasSubstr(" active "));
    EXPECT_THAT(listing, HasSubstr("risk,executor,portfolio,store,notifier\n"));
    EXPECT_THAT(listing, testing::StartsWith("NODE       STATE    LAST_SEEN  SEQ    ACTORS\ncollector  active   "));
  }
  self->send_exit(collector, caf::exit_reason::user_shutdown);
  self->send_exit(trading, caf::exit_reason::user_shutdown);
}

TEST_F(membership_test, cluster_nodes_lists_the_running_nodes_and_the_silent_ones) {
  system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  auto collector = spawn_node(sys, "collector");
  auto strategy = spawn_node(sys, "strategy-1");
  wait_listing(self, collector, {"collector", "strategy-1"}); // both are publishing

  // One listen window can miss a heartbeat on a slow machine: listen again until both running
  // nodes are heard in the same window (or the overall deadline passes).
  std::string text;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  do {
    std::ostringstream out, err;
    cluster_cmd_options opts;
    opts.topology_path = topology_file_;
    opts.amqp_url = amqp_url_;
    opts.listen_s = 1.5;
    opts.out = &out;
    opts.err = &err;
    ASSERT_EQ(run_cluster_nodes(opts), 0) << err.str();
    text = out.str();
  } while ((text.find("collector   active") == std::string::npos || text.find("strategy-1  active") == std::string::npos)
           && std::chrono::steady_clock::now() < deadline);
  EXPECT_THAT(text, testing::StartsWith("NODE        STATE    LAST_SEEN  SEQ    ACTORS\ncollector   active   "));
  EXPECT_THAT(text, HasSubstr("collector\nstrategy-1  active   "));
  EXPECT_THAT(text, HasSubstr("strategy:ma-10-30,strategy:ma-5-20\n"));
  EXPECT_THAT(text, testing::EndsWith("strategy-2  not seen\ntrading     not seen\n"));
  self->send_exit(collector, caf::exit_reason::user_shutdown);
  self->send_exit(strategy, caf::exit_reason::user_shutdown);
}

TEST_F(membership_test, cluster_nodes_reports_an_unreachable_broker) {
  std::ostringstream out, err;
  cluster_cmd_options opts;
  opts.topology_path = topology_file_;
  opts.amqp_url = "amqp://guest:secret@127.0.0.1:1/";
  opts.listen_s = 0.5;
  opts.out = &out;
  opts.err = &err;
  EXPECT_EQ(run_cluster_nodes(opts), 1);
  EXPECT_THAT(err.str(), testing::StartsWith("tradewind: cannot listen to heartbeats on amqp://guest:***@127.0.0.1:1/ vhost \""
                                             + vhost_ + "\": "));
  EXPECT_THAT(err.str(), testing::Not(HasSubstr("secret")));
}

TEST_F(membership_test, a_node_that_stops_is_reported_lost) {
  system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  self->join(topic_group(sys, topic::alerts));
  auto collector = spawn_node(sys, "collector");
  auto trading = spawn_node(sys, "trading");
  wait_listing(self, collector, {"collector", "trading"});
  self->send_exit(trading, caf::exit_reason::user_shutdown);
  std::string lost;
  for (int i = 0; i < 50 && lost.empty(); ++i)
    self->receive(
      [&](const alert& a) {
        // A stalled healthy node could be reported too on a loaded machine: only trading counts.
        if (a.code == "node_lost" && a.message.find("node trading ") == 0)
          lost = a.message;
      },
      caf::after(std::chrono::seconds(20)) >> [&] { lost = "timeout"; });
  EXPECT_EQ(lost, "node trading sent no heartbeat for 1500 ms");
  auto listing = wait_listing(self, collector, {"collector"});
  EXPECT_THAT(listing, testing::Not(HasSubstr("trading")));
  self->send_exit(collector, caf::exit_reason::user_shutdown);
}
