#pragma once
// Builders shared by the risk tests: readable snapshots, signals and intents.

#include <ostream>
#include <string>

#include "config/node_config.hpp"
#include "schemas/control.hpp"
#include "schemas/trading.hpp"

namespace tradewind {

/// Lets GoogleTest print fixed values as decimal text in failure messages.
inline void PrintTo(const fixed& f, std::ostream* os) {
  *os << f.to_string();
}

} // namespace tradewind

namespace tradewind::risk::test {

inline fixed fx(const char* text) {
  return *fixed::parse(text);
}

inline fixed fx(int64_t v) {
  return *fixed::from_int(v);
}

inline signal make_signal(std::string strategy, std::string symbol, int64_t ts, uint64_t seq,
                          fixed target) {
  signal s;
  s.strategy_id = std::move(strategy);
  s.symbol = std::move(symbol);
  s.ts_ms = ts;
  s.seq = seq;
  s.direction = target > fixed{} ? 1 : (target < fixed{} ? -1 : 0);
  s.target_qty = target;
  return s;
}

inline order_intent market(std::string cid, side sd, fixed qty, int64_t ts = 1000,
                           std::string symbol = "BTCUSDT", std::string strategy = "manual") {
  order_intent in;
  in.client_order_id = std::move(cid);
  in.strategy_id = std::move(strategy);
  in.symbol = std::move(symbol);
  in.order_side = sd;
  in.type = order_type::market;
  in.qty = qty;
  in.ts_ms = ts;
  return in;
}

inline order_intent limit(std::string cid, side sd, fixed qty, fixed price, int64_t ts = 1000,
                          std::string symbol = "BTCUSDT") {
  auto in = market(std::move(cid), sd, qty, ts, std::move(symbol));
  in.type = order_type::limit;
  in.limit_price = price;
  return in;
}

inline position_update pos(std::string symbol, fixed qty, fixed last) {
  position_update p;
  p.symbol = std::move(symbol);
  p.qty = qty;
  p.last_price = last;
  return p;
}

inline order open_order(std::string cid, std::string strategy, std::string symbol, side sd,
                        fixed qty, fixed filled = {}) {
  order o;
  o.client_order_id = std::move(cid);
  o.strategy_id = std::move(strategy);
  o.symbol = std::move(symbol);
  o.order_side = sd;
  o.qty = qty;
  o.filled_qty = filled;
  o.status = filled.is_zero() ? order_status::accepted : order_status::partially_filled;
  return o;
}

/// Equity 100 000 (also day start and high-water mark), BTCUSDT and ETHUSDT flat at 100 and 10.
inline account_snapshot snapshot(int64_t ts) {
  account_snapshot s;
  s.ts_ms = ts;
  s.cash = fx(100'000);
  s.equity = fx(100'000);
  s.high_water_mark = fx(100'000);
  s.day_start_equity = fx(100'000);
  s.positions = {pos("BTCUSDT", {}, fx(100)), pos("ETHUSDT", {}, fx(10))};
  return s;
}

inline watermark wm(std::string source, int64_t ts, bool eos = false) {
  return watermark{std::move(source), ts, eos};
}

inline control_command command(control_action action, scope_kind scope, std::string id = "",
                               std::string reason = "") {
  control_command c;
  c.action = action;
  c.scope = scope;
  c.scope_id = std::move(id);
  c.reason = std::move(reason);
  c.issued_by = "ops";
  c.ts_ms = 42;
  return c;
}

} // namespace tradewind::risk::test
