// Pipeline benchmark: bars/s through collector → strategy → risk → executor (→ portfolio,
// store) and tick-to-order latency, against a raw CAF chain of the same length measured in
// the same run. Prints one JSON line. Usage: pipeline_bench [--bars N] [--runs R]

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "caf/all.hpp"

#include "actors/core/node_context.hpp"
#include "actors/core/latency_tracker.hpp"
#include "schemas/control.hpp"
#include "schemas/market.hpp"
#include "schemas/trading.hpp"
#include "tools/node_runner.hpp"
#include "actors/core/system_config.hpp"

using namespace tradewind;
using clk = std::chrono::steady_clock;

namespace {

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(clk::now().time_since_epoch()).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

double percentile(std::vector<int64_t>& v, double p) {
  if (v.empty())
    return 0;
  std::sort(v.begin(), v.end());
  return static_cast<double>(v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))]);
}

// ---- Tradewind pipeline --------------------------------------------------------------

node_config bench_config(uint64_t bars, uint64_t max_ahead, const std::string& db) {
  node_config cfg;
  cfg.node_name = "bench";
  cfg.collector.mode = "synthetic";
  cfg.collector.synthetic.symbols = {"SYNTHUSDT"};
  cfg.collector.synthetic.bars = bars;
  cfg.collector.max_ahead = max_ahead;
  strategy_config st;
  st.id = "ma";
  st.fast = 5;
  st.slow = 20;
  st.allow_short = true;
  st.order_notional = fixed::from_int<5'000>();
  cfg.strategies = {st};
  cfg.risk.max_orders_per_window = 1'000'000;
  cfg.risk.max_drawdown_pct = fixed::from_int<100>();
  cfg.risk.daily_loss_limit_pct = fixed::from_int<100>();
  cfg.store.url = "sqlite:" + db;
  cfg.log.level = "error";
  return cfg;
}

struct pipeline_figures {
  double bars_per_s = 0;
  uint64_t orders = 0;
  std::vector<int64_t> latencies_ns;
};

pipeline_figures run_pipeline(uint64_t bars, uint64_t max_ahead) {
  auto db = (std::filesystem::temp_directory_path() / "tradewind-bench.db").string();
  for (auto suffix : {"", "-wal", "-shm"})
    std::filesystem::remove(db + suffix);
  auto cfg = bench_config(bars, max_ahead, db);
  auto ctx = make_node_context("bench", "error");
  run_hooks hooks;
  hooks.handle_signals = false;
  auto start = clk::now();
  auto res = run_node(cfg, ctx, hooks);
  double secs = std::chrono::duration<double>(clk::now() - start).count();
  pipeline_figures f;
  f.bars_per_s = static_cast<double>(res.summary.ticks) / secs;
  f.orders = res.summary.order_status.size();
  // Stamped by the collector when it publishes the bar, measured by the executor when it
  // accepts the order: the same instrumentation the node exports as a metric.
  f.latencies_ns = ctx->latency->take_samples();
  return f;
}

// ---- raw CAF baseline: the same four stages, each just forwarding ----------------------

using done_atom = caf::atom_constant<caf::atom("done")>;

caf::behavior forwarder(caf::event_based_actor* self, caf::actor next) {
  return {[=](bar& b, int64_t sent_ns) { self->send(next, std::move(b), sent_ns); }};
}

struct sink_state {
  uint64_t seen = 0;
  std::vector<int64_t> lat;
};

/// Records the latency of each bar; with `echo` it reports every bar at once (one in flight).
caf::behavior sink(caf::stateful_actor<sink_state>* self, uint64_t expected, caf::actor report,
                   bool echo) {
  return {[=](const bar&, int64_t sent_ns) {
    auto lat = now_ns() - sent_ns;
    if (echo) {
      self->send(report, done_atom::value, std::vector<int64_t>{lat});
      return;
    }
    self->state.lat.push_back(lat);
    if (++self->state.seen == expected)
      self->send(report, done_atom::value, self->state.lat);
  }};
}

struct raw_figures {
  double bars_per_s = 0;
  std::vector<int64_t> latencies_ns;
};

raw_figures run_raw_chain(caf::actor_system& sys, uint64_t n, bool one_in_flight) {
  caf::scoped_actor self{sys};
  auto tail = sys.spawn(sink, n, caf::actor{self}, one_in_flight);
  auto s3 = sys.spawn(forwarder, tail);
  auto s2 = sys.spawn(forwarder, s3);
  auto head = sys.spawn(forwarder, s2);
  bar b{"SYNTHUSDT", 0, 60'000, fixed::from_int<100>(), fixed::from_int<101>(), fixed::from_int<99>(),
        fixed::from_int<100>(), fixed::from_int<5>()};
  raw_figures f;
  auto start = clk::now();
  for (uint64_t i = 0; i < n; ++i) {
    b.open_time_ms = static_cast<int64_t>(i);
    self->send(head, b, now_ns());
    if (one_in_flight)
      self->receive([&](done_atom, std::vector<int64_t>& lat) { f.latencies_ns.push_back(lat[0]); });
  }
  if (!one_in_flight)
    self->receive([&](done_atom, std::vector<int64_t>& lat) { f.latencies_ns = std::move(lat); });
  f.bars_per_s = static_cast<double>(n) / std::chrono::duration<double>(clk::now() - start).count();
  for (auto& a : {head, s2, s3, tail})
    self->send_exit(a, caf::exit_reason::user_shutdown);
  return f;
}

using raw_config = node_system_config;

} // namespace

int main(int argc, char** argv) {
  uint64_t bars = 100'000;
  int runs = 3;
  uint64_t latency_bars = 3'000;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    if (k == "--bars")
      bars = std::stoull(argv[i + 1]);
    else if (k == "--runs")
      runs = std::stoi(argv[i + 1]);
    else if (k == "--latency-bars")
      latency_bars = std::stoull(argv[i + 1]);
  }
  std::vector<double> tw_rate, raw_rate, tw_p50, tw_p99, raw_p50, raw_p99;
  uint64_t orders = 0;
  for (int r = 0; r < runs; ++r) {
    auto tw = run_pipeline(bars, 4096);
    tw_rate.push_back(tw.bars_per_s);
    orders = tw.orders;
    auto lat = run_pipeline(latency_bars, 1);
    tw_p50.push_back(percentile(lat.latencies_ns, 0.50) / 1000.0);
    tw_p99.push_back(percentile(lat.latencies_ns, 0.99) / 1000.0);
    raw_config cfg;
    caf::actor_system sys{cfg};
    raw_rate.push_back(run_raw_chain(sys, bars, false).bars_per_s);
    auto raw_lat = run_raw_chain(sys, latency_bars, true);
    raw_p50.push_back(percentile(raw_lat.latencies_ns, 0.50) / 1000.0);
    raw_p99.push_back(percentile(raw_lat.latencies_ns, 0.99) / 1000.0);
  }
  std::printf("{\"bench\":\"pipeline\",\"bars\":%llu,\"runs\":%d,\"orders\":%llu,"
              "\"tradewind_bars_per_s\":%.0f,\"raw_caf_chain_bars_per_s\":%.0f,"
              "\"throughput_ratio\":%.4f,\"tick_to_order_p50_us\":%.1f,\"tick_to_order_p99_us\":%.1f,"
              "\"raw_chain_p50_us\":%.1f,\"raw_chain_p99_us\":%.1f,\"latency_ratio_p50\":%.1f}\n",
              static_cast<unsigned long long>(bars), runs, static_cast<unsigned long long>(orders),
              median(tw_rate), median(raw_rate), median(tw_rate) / median(raw_rate), median(tw_p50),
              median(tw_p99), median(raw_p50), median(raw_p99), median(tw_p50) / median(raw_p50));
}
