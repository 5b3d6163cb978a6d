#pragma once
// The e2e tests' common scenario: one CSV feed, two moving-average crossovers (one may go
// short) and binding risk limits, so runs trade, get denials and exercise every store path.

#include <string>

#include "config/node_config.hpp"

namespace tradewind::test {

inline node_config two_strategy_replay(const std::string& csv, const std::string& store_url) {
  node_config cfg;
  cfg.node_name = "e2e";
  cfg.collector.mode = "replay";
  cfg.collector.feeds.push_back({"BTCUSDT", csv, feed_format::candles});
  strategy_config fast;
  fast.id = "ma_fast";
  fast.fast = 5;
  fast.slow = 20;
  fast.order_notional = fixed::from_int<20'000>();
  strategy_config slow = fast;
  slow.id = "ma_slow";
  slow.fast = 12;
  slow.slow = 48;
  slow.allow_short = true;
  slow.order_notional = fixed::from_int<15'000>();
  cfg.strategies = {fast, slow};
  cfg.risk.max_position_pct = fixed::from_int<30>();
  cfg.risk.max_order_notional = fixed::from_int<25'000>();
  cfg.risk.max_open_orders = 4;
  cfg.risk.max_orders_per_window = 3;
  cfg.risk.rate_window_ms = 3'600'000;
  cfg.risk.daily_loss_limit_pct = fixed::from_int<3>();
  cfg.risk.max_drawdown_pct = fixed::from_int<15>();
  cfg.executor.fee_bps = 10;
  cfg.executor.slippage_bps = 5;
  cfg.portfolio.initial_cash = fixed::from_int<100'000>();
  cfg.store.url = store_url;
  cfg.log.level = "warn";
  return cfg;
}

} // namespace tradewind::test
