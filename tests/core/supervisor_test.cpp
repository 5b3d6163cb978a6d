#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include <atomic>

#include "caf/all.hpp"

#include "actors/core/bus.hpp"
#include "actors/core/node_context.hpp"
#include "actors/core/supervisor.hpp"
#include "schemas/control.hpp"
#include "actors/core/system_config.hpp"

using namespace tradewind;
using namespace std::chrono_literals;

namespace {

using crash_atom = caf::atom_constant<caf::atom("crash")>;

using test_config = node_system_config;

/// A child that counts its incarnations and dies on request.
caf::behavior fragile(caf::event_based_actor* self, std::shared_ptr<std::atomic<int>> starts) {
  ++*starts;
  return {[=](crash_atom) -> caf::result<int> { return caf::sec::runtime_error; },
          [=](caf::get_atom) { return starts->load(); }};
}

struct fixture : ::testing::Test {
  test_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  std::shared_ptr<node_context> ctx = make_node_context("test", "off");
  std::shared_ptr<std::atomic<int>> starts = std::make_shared<std::atomic<int>>(0);

  caf::actor start_supervisor(int max_restarts) {
    self->join(topic_group(sys, topic::alerts));
    self->join(topic_group(sys, topic::control));
    supervisor_config sc;
    sc.max_restarts = max_restarts;
    sc.window_ms = 60'000;
    sc.initial_backoff_ms = 1;
    sc.max_backoff_ms = 4;
    auto n = starts;
    std::vector<child_spec> children{
      {"fragile", [n](caf::actor_system& s) { return s.spawn(fragile, n); }}};
    return spawn_supervisor(sys, sc, children, ctx);
  }

  caf::actor child_of(const caf::actor& sup) {
    caf::actor out;
    self->request(sup, 5s, caf::get_atom::value, std::string{"fragile"})
      .receive([&](const caf::actor& a) { out = a; }, [](caf::error&) {});
    return out;
  }

  void crash(const caf::actor& child) {
    self->send_exit(child, caf::make_error(caf::sec::runtime_error));
  }

  alert next_alert() {
    alert out;
    self->receive([&](const alert& a) { out = a; }, caf::after(10s) >> [] { FAIL() << "no alert"; });
    return out;
  }
};

} // namespace

TEST_F(fixture, restarts_a_failed_child_and_raises_an_alert) {
  auto sup = start_supervisor(3);
  auto first = child_of(sup);
  ASSERT_TRUE(first);
  crash(first);
  auto a = next_alert();
  EXPECT_EQ(a.code, "actor_restarted");
  EXPECT_EQ(a.level, severity::warning);
  EXPECT_EQ(a.message.rfind("fragile restarted after failure", 0), 0u) << a.message;
  auto second = child_of(sup);
  ASSERT_TRUE(second);
  EXPECT_NE(first.address(), second.address());
  // The new child counts its start when it first runs, which may come after the alert.
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (starts->load() < 2 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(starts->load(), 2);
  self->send_exit(sup, caf::exit_reason::user_shutdown);
}

TEST_F(fixture, escalates_to_halt_after_too_many_failures) {
  auto sup = start_supervisor(2);
  for (int i = 0; i < 2; ++i) {
    crash(child_of(sup));
    EXPECT_EQ(next_alert().code, "actor_restarted");
  }
  crash(child_of(sup));
  bool escalated = false, halted = false;
  for (int i = 0; i < 2; ++i)
    self->receive(
      [&](const alert& a) {
        escalated = a.code == "supervisor_escalated" && a.level == severity::critical;
      },
      [&](const control_command& c) {
        halted = c.action == control_action::halt && c.scope == scope_kind::node;
      },
      caf::after(10s) >> [] { FAIL() << "no escalation"; });
  EXPECT_TRUE(escalated);
  EXPECT_TRUE(halted);
  EXPECT_FALSE(child_of(sup)) << "a given-up child is not restarted";
  EXPECT_EQ(starts->load(), 3);
  self->send_exit(sup, caf::exit_reason::user_shutdown);
}

TEST_F(fixture, normal_exit_is_not_restarted_and_shutdown_stops_children) {
  auto sup = start_supervisor(3);
  auto child = child_of(sup);
  self->monitor(child);
  self->send_exit(sup, caf::exit_reason::user_shutdown);
  bool down = false;
  self->receive([&](const caf::down_msg& dm) { down = dm.source == child.address(); },
                caf::after(10s) >> [] {});
  EXPECT_TRUE(down);
  EXPECT_EQ(starts->load(), 1);
}
