// Store writer actor: records published on the topics end up in the database, flush_atom
// commits, open failures escalate, failed commits are retried without losing records, and
// the tradewind_store_* metrics say so.

#include <algorithm>
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "caf/all.hpp"

#include <spdlog/spdlog.h>

#include "actors/core/bus.hpp"
#include "actors/core/metrics_registry.hpp"
#include "actors/core/node_context.hpp"
#include "actors/storage/store.hpp"
#include "actors/storage/store_writer.hpp"
#include "schemas/atoms.hpp"
#include "schemas/control.hpp"
#include "schemas/trading.hpp"
#include "tests/core/metric_values.hpp"
#include "tests/storage/store_test_support.hpp"
#include "actors/core/system_config.hpp"

namespace tradewind {
namespace {

using namespace std::chrono_literals;

using test_config = node_system_config;

class store_writer_test : public ::testing::Test {
protected:
  store_writer_test() : sys_(cfg_), self_(sys_), tmp_("writer") {
    ctx_ = make_node_context("test", "off");
    store_.url = tmp_.url();
    store_.batch_size = 1'000;
    store_.flush_interval_ms = 600'000; // only flush_atom commits, unless a test says otherwise
  }

  ~store_writer_test() override {
    if (writer_)
      self_->send_exit(writer_, caf::exit_reason::user_shutdown);
  }

  template <class T>
  void publish(topic t, T msg) {
    self_->send(topic_group(sys_, t), std::move(msg));
  }

  void flush() {
    bool ok = false;
    self_->request(writer_, 10s, flush_atom::value)
      .receive([&](caf::ok_atom) { ok = true; },
               [&](caf::error& e) { FAIL() << sys_.render(e); });
    ASSERT_TRUE(ok);
  }

  std::unique_ptr<store> reader() {
    auto r = open_store(store_);
    EXPECT_TRUE(r.is_ok()) << r.error();
    return std::move(r.value());
  }

  std::optional<double> metric(const std::string& name, const std::map<std::string, std::string>& labels = {}) {
    return test::metric_value(*ctx_->metrics, name, labels);
  }

  std::optional<double> written(const char* kind) {
    return metric("tradewind_store_records_written_total", {{"kind", kind}});
  }

  test_config cfg_;
  caf::actor_system sys_;
  caf::scoped_actor self_;
  testing::temp_db tmp_;
  std::shared_ptr<node_context> ctx_;
  store_config store_;
  caf::actor writer_;
};

order make_order(const std::string& cid, order_status status, int64_t ts) {
  order o;
  o.client_order_id = cid;
  o.strategy_id = "ma1";
  o.symbol = "BTCUSDT";
  o.qty = fixed::from_int<1>();
  o.status = status;
  o.created_ts_ms = 1;
  o.updated_ts_ms = ts;
  return o;
}

fill make_fill(const std::string& id, int64_t ts) {
  fill f;
  f.fill_id = id;
  f.client_order_id = "C1";
  f.strategy_id = "ma1";
  f.symbol = "BTCUSDT";
  f.price = fixed::from_int<100>();
  f.qty = fixed::from_int<1>();
  f.ts_ms = ts;
  return f;
}

TEST_F(store_writer_test, persists_published_records_on_flush) {
  writer_ = spawn_store_writer(sys_, store_, ctx_);
  publish(topic::executions, make_order("C1", order_status::new_order, 1));
  publish(topic::executions, make_order("C1", order_status::filled, 2));
  publish(topic::executions, make_fill("C1-1", 2));
  publish(topic::executions, make_fill("C1-2", 2));
  publish(topic::executions, make_fill("C1-1", 2)); // duplicate: stored once
  publish(topic::executions, watermark{"executor", 2, false}); // not persisted
  publish(topic::orders, risk_decision{"C2", "ma1", "BTCUSDT", false, deny_reason::max_notional,
                                       "too big", 3});
  publish(topic::orders, order_intent{}); // not persisted
  account_snapshot snap;
  snap.ts_ms = 2;
  snap.equity = fixed::from_int<99>();
  snap.drawdown_pct = fixed::from_int<1>();
  snap.positions.resize(2);
  publish(topic::account, snap);
  publish(topic::account, position_update{"BTCUSDT", fixed::from_int<1>(), {}, {}, {}, {}, 2});
  publish(topic::alerts, alert{severity::warning, "test_alert", "test", "hello", 5});
  flush();

  auto db = reader();
  auto orders = db->list_orders().value();
  ASSERT_EQ(orders.size(), 1u);
  EXPECT_EQ(orders[0].status, order_status::filled);
  EXPECT_EQ(db->count_fills().value(), 2);
  EXPECT_EQ(db->count_denials_by_reason().value(),
            (std::map<deny_reason, int64_t>{{deny_reason::max_notional, 1}}));
  ASSERT_TRUE(db->last_snapshot().value().has_value());
  EXPECT_EQ(db->last_snapshot().value()->equity, fixed::from_int<99>());
  EXPECT_EQ(db->max_drawdown_pct().value(), fixed::from_int<1>());
  ASSERT_EQ(db->list_positions().value().size(), 1u);
  auto alerts = db->list_alerts().value();
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].code, "test_alert");

  // One commit of every record received (the duplicate fill too: written, a no-op in the store).
  EXPECT_EQ(written("order"), 2.0);
  EXPECT_EQ(written("fill"), 3.0);
  EXPECT_EQ(written("decision"), 1.0);
  EXPECT_EQ(written("snapshot"), 1.0);
  EXPECT_EQ(written("position"), 1.0);
  EXPECT_EQ(written("alert"), 1.0);
  EXPECT_EQ(metric("tradewind_store_write_seconds"), 1.0); // histogram: one commit observed
  EXPECT_EQ(metric("tradewind_store_queue_depth"), 0.0);
  EXPECT_EQ(metric("tradewind_store_queue_limit"), 20'000.0);
  EXPECT_EQ(metric("tradewind_store_commit_failures_total"), 0.0);
  // Nine persisted records and the flush; the watermark and the intent went to the default handler.
  EXPECT_EQ(test::await_metric(*ctx_->metrics, "tradewind_actor_messages_handled_total", {{"actor", "store_writer"}}, 10),
            10.0);
}

TEST_F(store_writer_test, commits_when_the_batch_is_full_or_the_interval_elapses) {
  store_.batch_size = 3;
  store_.flush_interval_ms = 50;
  writer_ = spawn_store_writer(sys_, store_, ctx_);
  auto db = reader();
  // batch_size: the third record commits; the interval would also do it, so only check
  // that the rows appear without any flush_atom.
  publish(topic::executions, make_fill("F1", 1));
  publish(topic::executions, make_fill("F2", 1));
  publish(topic::executions, make_fill("F3", 1));
  publish(topic::executions, make_fill("F4", 1)); // alone: committed by the timer
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (db->count_fills().value() < 4 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(10ms); // polling an external effect, not synchronising
  EXPECT_EQ(db->count_fills().value(), 4);
}

TEST_F(store_writer_test, open_failure_raises_an_alert_and_quits_with_the_error) {
  self_->join(topic_group(sys_, topic::alerts));
  store_.url = "sqlite:/nonexistent-dir/tw.db";
  writer_ = spawn_store_writer(sys_, store_, ctx_);
  self_->monitor(writer_);
  self_->receive([&](const alert& a) {
    EXPECT_EQ(a.level, severity::critical);
    EXPECT_EQ(a.code, "store_open_failed");
    EXPECT_EQ(a.source, "store_writer");
    EXPECT_EQ(a.message, "sqlite:/nonexistent-dir/tw.db: cannot open: unable to open database file");
  });
  self_->receive([&](const caf::down_msg& dm) {
    EXPECT_EQ(dm.reason, caf::sec::runtime_error);
    EXPECT_NE(sys_.render(dm.reason).find("unable to open database file"), std::string::npos)
      << sys_.render(dm.reason);
  });
  writer_ = nullptr;
}

TEST_F(store_writer_test, a_failed_commit_keeps_the_records_and_retries) {
  self_->join(topic_group(sys_, topic::alerts));
  writer_ = spawn_store_writer(sys_, store_, ctx_);
  flush(); // the writer has opened the store and prepared its statements
  // Break the schema behind the writer's back.
  testing::raw_exec(tmp_.path(), "ALTER TABLE alerts RENAME TO alerts_away");
  publish(topic::executions, make_fill("F1", 1));
  publish(topic::alerts, alert{severity::info, "first", "test", "m", 1});
  auto pending_flush = self_->request(writer_, 30s, flush_atom::value);
  bool failure_alert = false;
  while (!failure_alert) {
    self_->receive(
      [&](const alert& a) {
        if (a.code != "store_commit_failed")
          return;
        failure_alert = true;
        EXPECT_EQ(a.level, severity::critical);
        EXPECT_NE(a.message.find("no such table: alerts"), std::string::npos) << a.message;
      },
      caf::after(20s) >> [&] { FAIL() << "no store_commit_failed alert"; });
    if (::testing::Test::HasFailure())
      return;
  }
  EXPECT_GE(metric("tradewind_store_commit_failures_total"), 1.0);
  EXPECT_GE(metric("tradewind_store_queue_depth"), 2.0); // the fill and the alert wait
  EXPECT_EQ(written("fill"), 0.0);
  testing::raw_exec(tmp_.path(), "ALTER TABLE alerts_away RENAME TO alerts");
  bool ok = false;
  pending_flush.receive([&](caf::ok_atom) { ok = true; },
                        [&](caf::error& e) { FAIL() << sys_.render(e); });
  ASSERT_TRUE(ok);
  flush(); // the writer's own alert arrived through the alerts topic after the failure
  auto db = reader();
  EXPECT_EQ(db->count_fills().value(), 1);
  auto alerts = db->list_alerts().value();
  ASSERT_EQ(alerts.size(), 2u); // raised once, however many retries failed
  EXPECT_EQ(alerts[0].code, "first");
  EXPECT_EQ(alerts[1].code, "store_commit_failed");
  EXPECT_EQ(written("fill"), 1.0);
  EXPECT_EQ(written("alert"), 2.0);
  EXPECT_EQ(metric("tradewind_store_queue_depth"), 0.0);
}

TEST_F(store_writer_test, a_backlog_over_the_limit_halts_trading_once_and_drops_nothing) {
  store_.max_pending_records = 3;
  self_->join(topic_group(sys_, topic::alerts));
  self_->join(topic_group(sys_, topic::control));
  writer_ = spawn_store_writer(sys_, store_, ctx_);
  flush();
  testing::raw_exec(tmp_.path(), "ALTER TABLE fills RENAME TO fills_away");
  for (int i = 1; i <= 6; ++i)
    publish(topic::executions, make_fill("F" + std::to_string(i), i));
  auto pending_flush = self_->request(writer_, 30s, flush_atom::value);
  // Receive until the halt, the backlog alert and the failed commit have all arrived (the
  // table must not come back before the flush's commit failed); count every halt.
  int halts = 0;
  bool backlog_alert = false;
  bool commit_failed = false;
  while (halts == 0 || !backlog_alert || !commit_failed) {
    self_->receive(
      [&](const control_command& c) {
        ++halts;
        EXPECT_EQ(c.action, control_action::halt);
        EXPECT_EQ(c.scope, scope_kind::node);
        EXPECT_EQ(c.scope_id, "");
        EXPECT_EQ(c.issued_by, "store_writer");
        EXPECT_EQ(c.reason, "store writer is 4 records behind (max_pending_records 3)");
      },
      [&](const alert& a) {
        commit_failed |= a.code == "store_commit_failed";
        if (a.code != "store_backlog")
          return;
        backlog_alert = true;
        EXPECT_EQ(a.level, severity::critical);
        EXPECT_EQ(a.message, "store writer is 4 records behind (max_pending_records 3)");
      },
      caf::after(20s) >> [&] { FAIL() << "no halt/store_backlog/store_commit_failed alert"; });
    if (::testing::Test::HasFailure())
      return;
  }
  // More records while still failing: no second halt.
  publish(topic::executions, make_fill("F7", 7));
  testing::raw_exec(tmp_.path(), "ALTER TABLE fills_away RENAME TO fills");
  bool ok = false;
  pending_flush.receive([&](caf::ok_atom) { ok = true; },
                        [&](caf::error& e) { FAIL() << sys_.render(e); });
  ASSERT_TRUE(ok);
  flush();
  // The flush answer is the barrier: the writer sent any halt before it answered, and a local
  // group delivers to this actor in the writer's send order, so whatever halt there is waits in
  // the mailbox now. Drain it without waiting.
  for (bool idle = false; !idle;)
    self_->receive([&](const control_command&) { ++halts; }, [](const alert&) {},
                   caf::after(std::chrono::milliseconds(0)) >> [&] { idle = true; });
  EXPECT_EQ(halts, 1);
  auto db = reader();
  EXPECT_EQ(db->count_fills().value(), 7); // nothing dropped
  std::vector<std::string> codes;
  auto alerts = db->list_alerts();
  ASSERT_TRUE(alerts.is_ok()) << alerts.error();
  for (auto& a : alerts.value())
    codes.push_back(a.code);
  // The backlog alert and the first failed commit race (the flush request may overtake the
  // writer's own alert); each is stored exactly once.
  std::sort(codes.begin(), codes.end());
  EXPECT_EQ(codes, (std::vector<std::string>{"store_backlog", "store_backlog_cleared",
                                             "store_commit_failed"}));
}

TEST_F(store_writer_test, a_clean_shutdown_commits_what_is_buffered) {
  writer_ = spawn_store_writer(sys_, store_, ctx_);
  publish(topic::executions, make_fill("F1", 1));
  self_->monitor(writer_);
  self_->send_exit(writer_, caf::exit_reason::user_shutdown);
  self_->receive([&](const caf::down_msg& dm) { EXPECT_EQ(dm.reason, caf::exit_reason::user_shutdown); });
  writer_ = nullptr;
  EXPECT_EQ(reader()->count_fills().value(), 1);
}

} // namespace
} // namespace tradewind
