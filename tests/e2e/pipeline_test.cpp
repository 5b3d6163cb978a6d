// End-to-end: the whole single-node pipeline on real market data, checked against
// invariants computed independently from what the actors published.

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <limits>
#include <map>
#include <thread>

#include "caf/all.hpp"

#include "actors/core/actor_metrics.hpp"
#include "actors/core/metrics_registry.hpp"
#include "actors/core/node_context.hpp"
#include "actors/storage/store.hpp"
#include "observer.hpp"
#include "scenario.hpp"
#include "tests/core/metric_values.hpp"
#include "tools/node_runner.hpp"

namespace fs = std::filesystem;
using namespace tradewind;

namespace {

std::string temp_db(const std::string& name) {
  auto dir = fs::temp_directory_path() / ("tradewind-e2e-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  auto path = dir / (name + ".db");
  fs::remove(path);
  fs::remove(path.string() + "-wal");
  fs::remove(path.string() + "-shm");
  return path.string();
}

node_config replay_config(const std::string& csv, const std::string& db) {
  return test::two_strategy_replay(csv, "sqlite:" + db);
}

struct run_output {
  run_result result;
  test::recording rec;
  std::shared_ptr<node_context> ctx;
};

run_output run_with_observer(const node_config& cfg,
                             std::function<void(caf::actor_system&, const caf::actor&,
                                                test::observer_log&)> on_started = {}) {
  auto log = std::make_shared<test::observer_log>();
  run_hooks hooks;
  hooks.handle_signals = false;
  hooks.before_start = [log](caf::actor_system& sys) {
    return std::vector<caf::actor>{test::spawn_observer(sys, log)};
  };
  if (on_started)
    hooks.on_started = [&, log](caf::actor_system& sys, const caf::actor& sup) {
      on_started(sys, sup, *log);
    };
  auto ctx = make_node_context(cfg.node_name, cfg.log.level);
  run_output out;
  out.ctx = ctx;
  out.result = run_node(cfg, ctx, hooks);
  std::lock_guard<std::mutex> g{log->mtx};
  out.rec = log->rec;
  return out;
}

std::string bundled_btc_file() { return std::string{TW_DATA_DIR} + "/BTCUSDT-5m-2023-01.csv"; }

fixed position_of(const account_snapshot& s, const std::string& symbol) {
  for (auto& p : s.positions)
    if (p.symbol == symbol)
      return p.qty;
  return {};
}

fixed last_price_of(const account_snapshot& s, const std::string& symbol) {
  for (auto& p : s.positions)
    if (p.symbol == symbol)
      return p.last_price;
  return {};
}

fixed signed_qty(side sd, fixed q) {
  return sd == side::buy ? q : *(-q);
}

/// Signed quantity still to fill of the orders open in the snapshot plus those approved
/// earlier at the same event time (the executor has not reported them yet).
fixed open_exposure(const account_snapshot& snap, const std::vector<order_intent>& approved,
                    size_t index) {
  auto& intent = approved[index];
  fixed net;
  for (auto& o : snap.open_orders)
    if (o.symbol == intent.symbol)
      net = *(net + signed_qty(o.order_side, *(o.qty - o.filled_qty)));
  for (size_t i = 0; i < index; ++i)
    if (approved[i].ts_ms == intent.ts_ms && approved[i].symbol == intent.symbol)
      net = *(net + signed_qty(approved[i].order_side, approved[i].qty));
  return net;
}

int open_order_count(const account_snapshot& snap, const std::vector<order_intent>& approved,
                     size_t index) {
  int n = static_cast<int>(snap.open_orders.size());
  for (size_t i = 0; i < index; ++i)
    n += approved[i].ts_ms == approved[index].ts_ms ? 1 : 0;
  return n;
}

/// Re-derives every pre-trade limit for each approved order from the account snapshot at
/// the order's event time (the one the risk gate decided on) and the orders approved so far.
void expect_no_limit_breached(const node_config& cfg, const test::recording& rec) {
  std::vector<int64_t> approved_times;
  for (size_t index = 0; index < rec.approved.size(); ++index) {
    auto& intent = rec.approved[index];
    auto it = rec.snapshots.find(intent.ts_ms);
    ASSERT_NE(it, rec.snapshots.end()) << "no account snapshot at " << intent.ts_ms;
    auto& snap = it->second;
    auto last = last_price_of(snap, intent.symbol);
    ASSERT_GT(last, fixed{}) << intent.client_order_id;
    EXPECT_LE(*(intent.qty * last), cfg.risk.max_order_notional) << intent.client_order_id;
    auto pos = *(position_of(snap, intent.symbol) + open_exposure(snap, rec.approved, index));
    auto after = *(pos + signed_qty(intent.order_side, intent.qty));
    if (*after.abs() > *pos.abs()) {
      EXPECT_LE(*(after.abs() * last), *snap.equity.pct(cfg.risk.max_position_pct))
        << intent.client_order_id << " position " << after.to_string() << " @ " << last.to_string()
        << " equity " << snap.equity.to_string();
      EXPECT_LT(open_order_count(snap, rec.approved, index), cfg.risk.max_open_orders);
      EXPECT_LT(snap.drawdown_pct, cfg.risk.max_drawdown_pct) << intent.client_order_id;
    }
    int in_window = 0;
    for (auto t : approved_times)
      if (intent.ts_ms - t < cfg.risk.rate_window_ms)
        ++in_window;
    EXPECT_LT(in_window, cfg.risk.max_orders_per_window) << intent.client_order_id;
    approved_times.push_back(intent.ts_ms);
  }
}

/// Positions equal the sum of fills and equity = cash + Σ position × last price, at every
/// event time the portfolio published.
void expect_books_balance(const node_config& cfg, const test::recording& rec) {
  ASSERT_FALSE(rec.snapshots.empty());
  for (auto& [ts, snap] : rec.snapshots) {
    std::map<std::string, fixed> from_fills;
    fixed cash = cfg.portfolio.initial_cash;
    for (auto& f : rec.fills) {
      if (f.ts_ms > ts)
        continue;
      from_fills[f.symbol] = *(from_fills[f.symbol] + signed_qty(f.order_side, f.qty));
      cash = *(cash - (signed_qty(f.order_side, *(f.price * f.qty)) + f.fee));
    }
    EXPECT_EQ(snap.cash, cash) << "at " << ts;
    fixed marked = snap.cash;
    for (auto& p : snap.positions) {
      EXPECT_EQ(p.qty, from_fills[p.symbol]) << p.symbol << " at " << ts;
      marked = *(marked + p.qty * p.last_price);
    }
    EXPECT_LE((snap.equity - marked).abs()->raw, static_cast<int64_t>(snap.positions.size()))
      << "equity " << snap.equity.to_string() << " vs " << marked.to_string() << " at " << ts;
  }
}

std::vector<std::string> fingerprint(const test::recording& rec) {
  std::vector<std::string> out;
  for (auto& i : rec.approved)
    out.push_back("order " + i.client_order_id + " " + std::string{to_string(i.order_side)} + " " +
                  i.qty.to_string() + " @" + std::to_string(i.ts_ms));
  for (auto& f : rec.fills)
    out.push_back("fill " + f.fill_id + " " + f.qty.to_string() + " @ " + f.price.to_string() +
                  " fee " + f.fee.to_string() + " t" + std::to_string(f.ts_ms));
  return out;
}

} // namespace

TEST(pipeline, sample_data_trades_end_to_end) {
  auto cfg = replay_config(std::string{TW_SOURCE_DIR} + "/data/sample-btcusdt-5m.csv", temp_db("sample"));
  auto out = run_with_observer(cfg);
  auto& s = out.result.summary;
  EXPECT_TRUE(s.complete);
  EXPECT_TRUE(out.result.store_flushed);
  EXPECT_EQ(s.ticks, out.rec.bars.size());
  EXPECT_GT(s.signals, 0u);
  EXPECT_GT(out.rec.fills.size(), 0u);
  EXPECT_EQ(s.fills, out.rec.fills.size());
  EXPECT_EQ(s.order_status.size(), out.rec.approved.size());
  expect_books_balance(cfg, out.rec);
  expect_no_limit_breached(cfg, out.rec);

  // The store holds exactly what the summary reports.
  auto opened = open_store(cfg.store);
  ASSERT_TRUE(opened.is_ok()) << opened.error();
  auto& db = *opened.value();
  auto fills = db.count_fills();
  ASSERT_TRUE(fills.is_ok());
  EXPECT_EQ(static_cast<uint64_t>(fills.value()), s.fills);
  auto by_status = db.count_orders_by_status();
  ASSERT_TRUE(by_status.is_ok());
  std::map<std::string, uint64_t> stored;
  for (auto& [status, n] : by_status.value())
    stored[std::string{to_string(status)}] = static_cast<uint64_t>(n);
  EXPECT_EQ(stored, s.orders_by_status());
}

TEST(pipeline, metrics_account_for_every_message_and_every_stored_row) {
  auto cfg = replay_config(std::string{TW_SOURCE_DIR} + "/data/sample-btcusdt-5m.csv", temp_db("metrics"));
  auto out = run_with_observer(cfg);
  ASSERT_TRUE(out.result.summary.complete);
  ASSERT_TRUE(out.result.store_flushed);
  auto& registry = *out.ctx->metrics;
  auto bars = out.rec.bars.size();
  ASSERT_GT(bars, 0u);

  // Each strategy handled every bar and its watermark; each pipeline actor handled messages.
  for (const char* strategy : {"strategy:ma_fast", "strategy:ma_slow"})
    EXPECT_GE(registry.actors().probe(strategy).handled(), 2 * bars) << strategy;
  for (const char* actor : {"collector", "risk_gate", "paper_executor", "portfolio", "store_writer", "supervisor"})
    EXPECT_GT(registry.actors().probe(actor).handled(), 0u) << actor;
  EXPECT_GE(registry.actors().probe("portfolio").handled(), bars);

  // The store holds one row per record the writer committed: every fill, decision, snapshot,
  // alert and order state change — except each order's first event (new_order), which the risk
  // gate's outbox commit writes, one per outbox row.
  auto opened = open_store(cfg.store);
  ASSERT_TRUE(opened.is_ok()) << opened.error();
  auto& db = *opened.value();
  auto written = [&](const char* kind) {
    return test::metric_value(registry, "tradewind_store_records_written_total", {{"kind", kind}}).value_or(-1);
  };
  EXPECT_EQ(written("fill"), static_cast<double>(db.count_fills().value()));
  EXPECT_EQ(written("decision"), static_cast<double>(db.list_decisions().value().size()));
  EXPECT_EQ(written("alert"), static_cast<double>(db.list_alerts().value().size()));
  auto snapshots = db.list_snapshots(std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(written("snapshot"), static_cast<double>(snapshots.value().size()));
  size_t order_events = 0;
  auto orders = db.list_orders();
  ASSERT_TRUE(orders.is_ok());
  for (const auto& o : orders.value())
    order_events += db.list_order_events(o.client_order_id).value().size();
  auto outbox = db.count_outbox();
  ASSERT_TRUE(outbox.is_ok());
  EXPECT_GT(outbox.value().total, 0);
  EXPECT_EQ(written("order") + static_cast<double>(outbox.value().total), static_cast<double>(order_events));
  EXPECT_GT(written("fill"), 0);
  EXPECT_EQ(test::metric_value(registry, "tradewind_store_queue_depth"), 0.0);
  EXPECT_EQ(test::metric_value(registry, "tradewind_store_commit_failures_total"), 0.0);
  EXPECT_GT(test::metric_value(registry, "tradewind_store_write_seconds").value_or(0), 0.0);
}

TEST(pipeline, btcusdt_january_respects_limits_balances_books_and_is_deterministic) {
  auto csv = bundled_btc_file();
  auto cfg = replay_config(csv, temp_db("btc-1"));
  auto first = run_with_observer(cfg);
  ASSERT_TRUE(first.result.summary.complete);
  EXPECT_EQ(first.rec.bars.size(), 10'999u);
  EXPECT_GT(first.rec.approved.size(), 10u);
  expect_no_limit_breached(cfg, first.rec);
  expect_books_balance(cfg, first.rec);
  size_t denied = 0;
  for (auto& d : first.rec.decisions)
    denied += d.approved ? 0 : 1;
  EXPECT_GT(denied, 0u) << "the limits of this test are meant to bind";

  cfg.store.url = "sqlite:" + temp_db("btc-2");
  auto second = run_with_observer(cfg);
  EXPECT_EQ(fingerprint(first.rec), fingerprint(second.rec));
}

TEST(pipeline, killed_collector_is_restarted_without_losing_or_duplicating_orders) {
  auto csv = std::string{TW_SOURCE_DIR} + "/data/sample-btcusdt-5m.csv";
  auto cfg = replay_config(csv, temp_db("calm"));
  auto calm = run_with_observer(cfg);
  ASSERT_TRUE(calm.result.summary.complete);

  cfg.store.url = "sqlite:" + temp_db("killed");
  // Paced at ~5 ms per 5-minute bar: the collector needs 6.5 s more after the 700th bar, far
  // longer than an exit message takes to arrive, so the kill lands mid-replay however slow the
  // machine. Pacing changes timing only, never the orders and fills.
  cfg.collector.speed = fixed::from_int<60'000>();
  std::atomic<bool> killed{false};
  auto stormy = run_with_observer(cfg, [&](caf::actor_system& sys, const caf::actor& sup,
                                           test::observer_log& log) {
    caf::actor collector;
    caf::scoped_actor self{sys};
    self->request(sup, std::chrono::seconds(30), caf::get_atom::value, std::string{child_names::collector})
      .receive([&](const caf::actor& c) { collector = c; }, [](caf::error&) {});
    ASSERT_TRUE(collector);
    std::lock_guard<std::mutex> g{log.mtx};
    // The observer calls this on its own thread: an asynchronous exit, sent the moment the
    // 700th bar is seen, needs no timing on the test's side.
    log.on_market_event = [collector, &killed](size_t n) {
      if (n == 700) {
        caf::anon_send_exit(collector, caf::exit_reason::kill);
        killed = true;
      }
    };
  });
  ASSERT_TRUE(killed.load());
  ASSERT_TRUE(stormy.result.summary.complete);
  EXPECT_EQ(stormy.rec.bars.size(), calm.rec.bars.size());
  EXPECT_EQ(fingerprint(stormy.rec), fingerprint(calm.rec));
  bool restart_alerted = false;
  for (auto& a : stormy.rec.alerts)
    restart_alerted |= a.code == "actor_restarted" && a.message.find("collector") == 0;
  EXPECT_TRUE(restart_alerted) << stormy.rec.alerts.size() << " alerts";
}
