// Every rule of node_config.hpp, checked through the loader with its exact message.

#include "config/validate.hpp"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <gmock/gmock.h>

#include "config_test_util.hpp"

using namespace tradewind;
using namespace tradewind::config_test;
using testing::ElementsAre;

namespace {

/// Messages for `minimal` plus one section.
std::vector<std::string> with(const std::string& sections) {
  return errors_of(minimal + sections);
}

/// Messages for a synthetic-mode config with the given strategies list.
std::vector<std::string> with_strategies(const std::string& strategies) {
  return errors_of("collector:\n  mode: synthetic\nstrategies:\n" + strategies);
}

/// A replay config reading one existing file as BTCUSDT, plus `rest`.
class replay_rules : public testing::Test {
protected:
  replay_rules() : dir_("replay-" + std::string(testing::UnitTest::GetInstance()->current_test_info()->name())) {
    std::ofstream(dir_.path() / "btc.csv") << "open_time_ms,open,high,low,close,volume\n";
  }
  std::vector<std::string> replay(const std::string& feeds, const std::string& rest = "strategies:\n  - id: s1\n") {
    return messages(load_config_text("collector:\n  mode: replay\n  feeds:\n" + feeds + rest, dir_.path().string(), {}));
  }
  std::string dir() const { return dir_.path().string(); }
  const std::string btc_feed = "    - symbol: BTCUSDT\n      path: btc.csv\n";

private:
  temp_dir dir_;
};

} // namespace

TEST(config_rules, code_built_config_is_checked_the_same_way) {
  node_config cfg;
  cfg.collector.mode = "synthetic";
  cfg.strategies.push_back(strategy_config{});
  cfg.strategies[0].id = "s1";
  EXPECT_TRUE(validate_config(cfg).empty());
  cfg.risk.max_position_pct = fixed::from_int<150>();
  auto errors = validate_config(cfg);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message(), "risk.max_position_pct: must be in (0, 100], got 150");
}

TEST(config_rules, risk_limits_and_strategy_params_are_checked_alone_for_live_updates) {
  risk_config limits;
  EXPECT_TRUE(validate_risk_limits(limits).empty());
  limits.max_drawdown_pct = fixed{};
  limits.price_collar_bps = 0;
  std::vector<std::string> got;
  for (const auto& e : validate_risk_limits(limits))
    got.push_back(e.message());
  EXPECT_THAT(got, ElementsAre("risk.price_collar_bps: must be > 0, got 0", "risk.max_drawdown_pct: must be in (0, 100], got 0"));
  got.clear();
  for (const auto& e : validate_risk_limits(limits, ""))
    got.push_back(e.message());
  EXPECT_THAT(got, ElementsAre("price_collar_bps: must be > 0, got 0", "max_drawdown_pct: must be in (0, 100], got 0"));

  strategy_params params;
  EXPECT_TRUE(validate_strategy_params(params, "").empty());
  params.slow = params.fast;
  params.order_notional = fixed::from_int<-1>();
  got.clear();
  for (const auto& e : validate_strategy_params(params, "strategies[2]"))
    got.push_back(e.message());
  EXPECT_THAT(got, ElementsAre("strategies[2].slow: must be > fast (10), got 10", "strategies[2].order_notional: must be > 0, got -1"));
}

// --- node and log ----------------------------------------------------------------------------

TEST(config_rules, node) {
  EXPECT_THAT(with("node:\n  name: \"\"\n"), ElementsAre("node.name: is required"));
  EXPECT_THAT(with("node:\n  threads: 0\n"), ElementsAre("node.threads: must be in [1, 64], got 0"));
  EXPECT_THAT(with("node:\n  threads: 65\n"), ElementsAre("node.threads: must be in [1, 64], got 65"));
  EXPECT_TRUE(with("node:\n  threads: 64\n").empty());
}

TEST(config_rules, log) {
  EXPECT_THAT(with("log:\n  level: verbose\n"),
              ElementsAre("log.level: must be one of trace|debug|info|warn|error, got \"verbose\""));
  EXPECT_THAT(with("log:\n  format: xml\n"), ElementsAre("log.format: must be one of text|json, got \"xml\""));
  EXPECT_TRUE(with("log:\n  level: trace\n  format: json\n").empty());
}

// --- collector -------------------------------------------------------------------------------

TEST(config_rules, collector_mode) {
  EXPECT_THAT(errors_of("collector:\n  mode: live\nstrategies:\n  - id: s1\n"),
              ElementsAre("collector.mode: must be one of replay|synthetic, got \"live\""));
}

TEST(config_rules, collector_speed_and_max_ahead) {
  EXPECT_THAT(errors_of("collector:\n  mode: synthetic\n  speed: -1\n  max_ahead: 0\nstrategies:\n  - id: s1\n"),
              ElementsAre("collector.speed: must be >= 0, got -1", "collector.max_ahead: must be >= 1, got 0"));
  auto r = load("collector:\n  mode: synthetic\n  speed: 60\nstrategies:\n  - id: s1\n");
  ASSERT_TRUE(r.config);
  EXPECT_EQ(r.config->collector.speed, fixed::from_int<60>());
}

TEST_F(replay_rules, replay_mode_needs_a_feed) {
  EXPECT_THAT(errors_of("collector:\n  mode: replay\nstrategies:\n  - id: s1\n"),
              ElementsAre("collector.feeds: replay mode needs at least one feed"));
  EXPECT_THAT(errors_of("strategies:\n  - id: s1\n"), ElementsAre("collector.feeds: replay mode needs at least one feed"));
}

TEST_F(replay_rules, valid_replay_config_stores_the_resolved_path) {
  auto r = load_config_text("collector:\n  feeds:\n" + btc_feed + "strategies:\n  - id: s1\n    symbols: [BTCUSDT]\n",
                            dir(), {});
  ASSERT_TRUE(r.errors.empty()) << format_errors(r.errors, "");
  EXPECT_EQ(r.config->collector.feeds[0].path, dir() + "/btc.csv");
}

TEST_F(replay_rules, feed_symbol_and_path_are_required) {
  EXPECT_THAT(replay("    - format: candles\n"),
              ElementsAre("collector.feeds[0].symbol: is required", "collector.feeds[0].path: is required"));
}

TEST_F(replay_rules, feed_file_must_exist_and_be_readable) {
  EXPECT_THAT(replay("    - symbol: BTCUSDT\n      path: missing.csv\n"),
              ElementsAre("collector.feeds[0].path: cannot read " + dir() + "/missing.csv: No such file or directory"));
  EXPECT_THAT(replay("    - symbol: BTCUSDT\n      path: .\n"),
              ElementsAre("collector.feeds[0].path: cannot read " + dir() + "/: is a directory"));
}

TEST_F(replay_rules, feed_format_must_be_known) {
  EXPECT_THAT(replay(btc_feed + "      format: ohlc\n"),
              ElementsAre("collector.feeds[0].format: must be one of candles|trades, got \"ohlc\""));
}

TEST_F(replay_rules, feed_symbols_are_unique) {
  EXPECT_THAT(replay(btc_feed + btc_feed),
              ElementsAre("collector.feeds[1].symbol: duplicate \"BTCUSDT\" (also collector.feeds[0].symbol)"));
}

TEST_F(replay_rules, strategy_symbols_must_be_feed_symbols) {
  EXPECT_THAT(replay(btc_feed, "strategies:\n  - id: s1\n    symbols: [BTCUSDT, ETHUSDT]\n"),
              ElementsAre("strategies[0].symbols[1]: unknown symbol \"ETHUSDT\" (feed symbols: BTCUSDT)"));
}

TEST_F(replay_rules, feed_files_are_not_opened_in_synthetic_mode) {
  auto r = load_config_text("collector:\n  mode: synthetic\n  feeds:\n    - symbol: BTCUSDT\n      path: missing.csv\n"
                            "strategies:\n  - id: s1\n",
                            dir(), {});
  EXPECT_TRUE(r.errors.empty()) << format_errors(r.errors, "");
}

TEST(config_rules, synthetic) {
  auto synth = [](const std::string& keys) {
    return errors_of("collector:\n  mode: synthetic\n  synthetic:\n" + keys + "strategies:\n  - id: s1\n");
  };
  EXPECT_THAT(synth("    symbols: []\n"),
              ElementsAre("collector.synthetic.symbols: synthetic mode needs at least one symbol"));
  EXPECT_THAT(synth("    symbols: [SYNTHUSDT, SYNTHUSDT, \"\"]\n"),
              ElementsAre("collector.synthetic.symbols[1]: duplicate \"SYNTHUSDT\" (also collector.synthetic.symbols[0])",
                          "collector.synthetic.symbols[2]: is required"));
  EXPECT_THAT(synth("    start_price: 0\n"), ElementsAre("collector.synthetic.start_price: must be > 0, got 0"));
  EXPECT_THAT(synth("    volatility_bps: 0\n"),
              ElementsAre("collector.synthetic.volatility_bps: must be in (0, 1000], got 0"));
  EXPECT_THAT(synth("    volatility_bps: 1000.5\n"),
              ElementsAre("collector.synthetic.volatility_bps: must be in (0, 1000], got 1000.5"));
  EXPECT_THAT(synth("    interval_ms: 0\n"), ElementsAre("collector.synthetic.interval_ms: must be > 0, got 0"));
  EXPECT_TRUE(synth("    bars: 0\n    seed: 18446744073709551615\n").empty());
}

// --- strategies ------------------------------------------------------------------------------

TEST(config_rules, strategy_id_is_required_and_well_formed) {
  EXPECT_THAT(with_strategies("  - fast: 5\n"), ElementsAre("strategies[0].id: is required"));
  EXPECT_THAT(with_strategies("  - id: Fast MA\n"),
              ElementsAre("strategies[0].id: must match [a-z0-9_-]+, got \"Fast MA\""));
  EXPECT_TRUE(with_strategies("  - id: btc_ma-10-30\n").empty());
}

TEST(config_rules, strategy_ids_are_unique) {
  EXPECT_THAT(with_strategies("  - id: s1\n  - id: s2\n  - id: s1\n"),
              ElementsAre("strategies[2].id: duplicate \"s1\" (also strategies[0].id)"));
}

TEST(config_rules, strategy_type) {
  EXPECT_THAT(with_strategies("  - id: s1\n    type: rsi\n"),
              ElementsAre("strategies[0].type: must be one of ma_crossover, got \"rsi\""));
}

TEST(config_rules, strategy_symbols_must_be_synthetic_symbols) {
  EXPECT_THAT(with_strategies("  - id: s1\n    symbols: [ETHUSDT]\n"),
              ElementsAre("strategies[0].symbols[0]: unknown symbol \"ETHUSDT\" (synthetic symbols: SYNTHUSDT)"));
}

TEST(config_rules, strategy_windows) {
  EXPECT_THAT(with_strategies("  - id: s1\n    fast: 0\n"), ElementsAre("strategies[0].fast: must be >= 1, got 0"));
  EXPECT_THAT(with_strategies("  - id: s1\n  - id: s2\n    slow: 5\n"),
              ElementsAre("strategies[1].slow: must be > fast (10), got 5"));
  EXPECT_THAT(with_strategies("  - id: s1\n    fast: 20\n    slow: 20\n"),
              ElementsAre("strategies[0].slow: must be > fast (20), got 20"));
}

TEST(config_rules, strategy_sizes) {
  EXPECT_THAT(with_strategies("  - id: s1\n    order_notional: 0\n    qty_step: -0.1\n"),
              ElementsAre("strategies[0].order_notional: must be > 0, got 0",
                          "strategies[0].qty_step: must be > 0, got -0.1"));
}

TEST(config_rules, at_least_one_enabled_strategy) {
  EXPECT_THAT(errors_of("collector:\n  mode: synthetic\n"),
              ElementsAre("strategies: at least one enabled strategy is required"));
  EXPECT_THAT(with_strategies("  - id: s1\n    enabled: false\n"),
              ElementsAre("strategies: at least one enabled strategy is required"));
  EXPECT_TRUE(with_strategies("  - id: s1\n    enabled: false\n  - id: s2\n").empty());
}

// --- risk, executor, portfolio ---------------------------------------------------------------

TEST(config_rules, risk) {
  EXPECT_THAT(with("risk:\n  max_position_pct: 150\n"),
              ElementsAre("risk.max_position_pct: must be in (0, 100], got 150"));
  EXPECT_THAT(with("risk:\n  max_position_pct: 0\n"), ElementsAre("risk.max_position_pct: must be in (0, 100], got 0"));
  EXPECT_TRUE(with("risk:\n  max_position_pct: 100\n").empty());
  EXPECT_THAT(with("risk:\n  max_order_notional: 0\n"), ElementsAre("risk.max_order_notional: must be > 0, got 0"));
  EXPECT_THAT(with("risk:\n  max_open_orders: 0\n"), ElementsAre("risk.max_open_orders: must be >= 1, got 0"));
  EXPECT_THAT(with("risk:\n  price_collar_bps: 0\n"), ElementsAre("risk.price_collar_bps: must be > 0, got 0"));
  EXPECT_THAT(with("risk:\n  max_orders_per_window: 0\n"),
              ElementsAre("risk.max_orders_per_window: must be >= 1, got 0"));
  EXPECT_THAT(with("risk:\n  rate_window_ms: -5\n"), ElementsAre("risk.rate_window_ms: must be > 0, got -5"));
  EXPECT_THAT(with("risk:\n  daily_loss_limit_pct: 100.01\n"),
              ElementsAre("risk.daily_loss_limit_pct: must be in (0, 100], got 100.01"));
  EXPECT_THAT(with("risk:\n  max_drawdown_pct: -1\n"), ElementsAre("risk.max_drawdown_pct: must be in (0, 100], got -1"));
}

TEST(config_rules, executor) {
  EXPECT_THAT(with("executor:\n  fee_bps: 1001\n"), ElementsAre("executor.fee_bps: must be in [0, 1000], got 1001"));
  EXPECT_TRUE(with("executor:\n  fee_bps: 0\n  slippage_bps: 1000\n").empty());
  EXPECT_THAT(with("executor:\n  slippage_bps: -1\n"),
              ElementsAre("executor.slippage_bps: must be in [0, 1000], got -1"));
  EXPECT_THAT(with("executor:\n  max_participation_pct: 0\n"),
              ElementsAre("executor.max_participation_pct: must be in (0, 100], got 0"));
}

TEST(config_rules, portfolio) {
  EXPECT_THAT(with("portfolio:\n  initial_cash: 0\n"), ElementsAre("portfolio.initial_cash: must be > 0, got 0"));
  EXPECT_THAT(with("portfolio:\n  quote_currency: \"\"\n"), ElementsAre("portfolio.quote_currency: is required"));
}

// --- notifier, store, supervisor -------------------------------------------------------------

TEST(config_rules, webhooks) {
  auto hook = [](const std::string& keys) { return with("notifier:\n  webhooks:\n    - " + keys); };
  EXPECT_TRUE(hook("url: http://localhost:9000/alerts\n").empty());
  EXPECT_TRUE(hook("url: http://alerts.internal\n").empty());
  EXPECT_THAT(hook("min_severity: info\n"), ElementsAre("notifier.webhooks[0].url: is required"));
  EXPECT_THAT(hook("url: https://hooks.example.com/x\n"),
              ElementsAre("notifier.webhooks[0].url: must be http://host[:port]/path (https is not supported yet)"));
  EXPECT_THAT(hook("url: ftp://example.com/x\n"), ElementsAre("notifier.webhooks[0].url: must be http://host[:port]/path"));
  EXPECT_THAT(hook("url: http:///path\n"), ElementsAre("notifier.webhooks[0].url: must be http://host[:port]/path"));
  EXPECT_THAT(hook("url: http://host:99999/x\n"), ElementsAre("notifier.webhooks[0].url: must be http://host[:port]/path"));
  EXPECT_THAT(hook("url: http://h/x\n      max_retries: 11\n"),
              ElementsAre("notifier.webhooks[0].max_retries: must be in [0, 10], got 11"));
  EXPECT_THAT(hook("url: http://h/x\n      initial_backoff_ms: 0\n      timeout_ms: 0\n"),
              ElementsAre("notifier.webhooks[0].initial_backoff_ms: must be > 0, got 0",
                          "notifier.webhooks[0].timeout_ms: must be > 0, got 0"));
  EXPECT_THAT(hook("url: http://h/x\n      min_severity: loud\n"),
              ElementsAre("notifier.webhooks[0].min_severity: must be one of info|warning|critical, got \"loud\""));
}

TEST(config_rules, store) {
  EXPECT_TRUE(with("store:\n  url: sqlite:/var/lib/tradewind/tw.db\n").empty());
  EXPECT_TRUE(with("store:\n  url: postgresql://tw:pw@localhost:5432/tw?sslmode=disable\n").empty());
  EXPECT_TRUE(with("store:\n  url: postgres://db.internal/tw\n").empty());
  EXPECT_THAT(with("store:\n  url: postgresql://tw:hunter2@/tw\n"),
              ElementsAre("store.url: postgresql:// needs a host (e.g. postgresql://user:pass@host:5432/db)"));
  EXPECT_THAT(with("store:\n  url: mysql://localhost/tw\n"),
              ElementsAre("store.url: must start with sqlite: or postgresql:// (e.g. sqlite:tradewind.db)"));
  EXPECT_THAT(with("store:\n  url: \"sqlite:\"\n"),
              ElementsAre("store.url: sqlite: needs a database file path (e.g. sqlite:tradewind.db)"));
  EXPECT_THAT(with("store:\n  batch_size: 0\n"), ElementsAre("store.batch_size: must be >= 1, got 0"));
  EXPECT_THAT(with("store:\n  flush_interval_ms: 0\n"), ElementsAre("store.flush_interval_ms: must be > 0, got 0"));
  EXPECT_THAT(with("store:\n  pool_size: 0\n"), ElementsAre("store.pool_size: must be >= 1, got 0"));
  EXPECT_THAT(with("store:\n  connect_timeout_ms: 0\n"),
              ElementsAre("store.connect_timeout_ms: must be > 0, got 0"));
  EXPECT_THAT(with("store:\n  max_pending_records: 0\n"),
              ElementsAre("store.max_pending_records: must be >= 1, got 0"));
}

TEST(config_rules, supervisor) {
  EXPECT_THAT(with("supervisor:\n  max_restarts: 0\n"), ElementsAre("supervisor.max_restarts: must be >= 1, got 0"));
  EXPECT_THAT(with("supervisor:\n  window_ms: 0\n"), ElementsAre("supervisor.window_ms: must be > 0, got 0"));
  EXPECT_THAT(with("supervisor:\n  initial_backoff_ms: 0\n"),
              ElementsAre("supervisor.initial_backoff_ms: must be > 0, got 0"));
  EXPECT_THAT(with("supervisor:\n  initial_backoff_ms: 100\n  max_backoff_ms: 99\n"),
              ElementsAre("supervisor.max_backoff_ms: must be >= initial_backoff_ms (100), got 99"));
}
