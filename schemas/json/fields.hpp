#pragma once
// Wire field names of every message type, in struct order (internal to the JSON codec).
// The encoder and the strict decoder both walk these lists, so they cannot disagree; the
// codec test pins every *.schema.json document to the encoder's keys. A new struct field
// must be added here (and to its schema document), and its type's schema_version bumped.

#include "schemas/control.hpp"
#include "schemas/market.hpp"
#include "schemas/trading.hpp"

namespace tradewind::json::detail {

// Each function calls f(name, member) once per field. `F` is an encoder or a decoder.

template <class F>
void fields(F& f, trade_tick& x) {
  f("symbol", x.symbol);
  f("ts_ms", x.ts_ms);
  f("trade_id", x.trade_id);
  f("aggressor", x.aggressor);
  f("price", x.price);
  f("qty", x.qty);
}

template <class F>
void fields(F& f, bar& x) {
  f("symbol", x.symbol);
  f("open_time_ms", x.open_time_ms);
  f("interval_ms", x.interval_ms);
  f("open", x.open);
  f("high", x.high);
  f("low", x.low);
  f("close", x.close);
  f("volume", x.volume);
}

template <class F>
void fields(F& f, signal& x) {
  f("strategy_id", x.strategy_id);
  f("symbol", x.symbol);
  f("ts_ms", x.ts_ms);
  f("seq", x.seq);
  f("direction", x.direction);
  f("target_qty", x.target_qty);
  f("reference_price", x.reference_price);
  f("reason", x.reason);
}

template <class F>
void fields(F& f, order_intent& x) {
  f("client_order_id", x.client_order_id);
  f("strategy_id", x.strategy_id);
  f("symbol", x.symbol);
  f("order_side", x.order_side);
  f("type", x.type);
  f("qty", x.qty);
  f("limit_price", x.limit_price);
  f("reduce_only", x.reduce_only);
  f("ts_ms", x.ts_ms);
}

template <class F>
void fields(F& f, risk_decision& x) {
  f("client_order_id", x.client_order_id);
  f("strategy_id", x.strategy_id);
  f("symbol", x.symbol);
  f("approved", x.approved);
  f("reason", x.reason);
  f("detail", x.detail);
  f("ts_ms", x.ts_ms);
}

template <class F>
void fields(F& f, order& x) {
  f("client_order_id", x.client_order_id);
  f("strategy_id", x.strategy_id);
  f("symbol", x.symbol);
  f("order_side", x.order_side);
  f("type", x.type);
  f("qty", x.qty);
  f("limit_price", x.limit_price);
  f("reduce_only", x.reduce_only);
  f("status", x.status);
  f("filled_qty", x.filled_qty);
  f("avg_fill_price", x.avg_fill_price);
  f("created_ts_ms", x.created_ts_ms);
  f("updated_ts_ms", x.updated_ts_ms);
  f("reject_reason", x.reject_reason);
}

template <class F>
void fields(F& f, fill& x) {
  f("fill_id", x.fill_id);
  f("client_order_id", x.client_order_id);
  f("strategy_id", x.strategy_id);
  f("symbol", x.symbol);
  f("order_side", x.order_side);
  f("price", x.price);
  f("qty", x.qty);
  f("fee", x.fee);
  f("ts_ms", x.ts_ms);
}

template <class F>
void fields(F& f, cancel_request& x) {
  f("client_order_id", x.client_order_id);
  f("reason", x.reason);
  f("ts_ms", x.ts_ms);
}

template <class F>
void fields(F& f, position_update& x) {
  f("symbol", x.symbol);
  f("qty", x.qty);
  f("avg_entry_price", x.avg_entry_price);
  f("last_price", x.last_price);
  f("realized_pnl", x.realized_pnl);
  f("unrealized_pnl", x.unrealized_pnl);
  f("ts_ms", x.ts_ms);
}

template <class F>
void fields(F& f, account_snapshot& x) {
  f("ts_ms", x.ts_ms);
  f("cash", x.cash);
  f("equity", x.equity);
  f("realized_pnl", x.realized_pnl);
  f("unrealized_pnl", x.unrealized_pnl);
  f("fees_paid", x.fees_paid);
  f("high_water_mark", x.high_water_mark);
  f("drawdown_pct", x.drawdown_pct);
  f("day_start_equity", x.day_start_equity);
  f("positions", x.positions);
  f("open_orders", x.open_orders);
  f("strategy_positions", x.strategy_positions);
}

template <class F>
void fields(F& f, strategy_position& x) {
  f("strategy_id", x.strategy_id);
  f("symbol", x.symbol);
  f("qty", x.qty);
}

template <class F>
void fields(F& f, alert& x) {
  f("level", x.level);
  f("code", x.code);
  f("source", x.source);
  f("message", x.message);
  f("ts_ms", x.ts_ms);
}

template <class F>
void fields(F& f, control_command& x) {
  f("action", x.action);
  f("scope", x.scope);
  f("scope_id", x.scope_id);
  f("reason", x.reason);
  f("issued_by", x.issued_by);
  f("ts_ms", x.ts_ms);
}

template <class F>
void fields(F& f, risk_limits& x) {
  f("max_position_pct", x.max_position_pct);
  f("max_order_notional", x.max_order_notional);
  f("max_open_orders", x.max_open_orders);
  f("price_collar_bps", x.price_collar_bps);
  f("max_orders_per_window", x.max_orders_per_window);
  f("rate_window_ms", x.rate_window_ms);
  f("daily_loss_limit_pct", x.daily_loss_limit_pct);
  f("max_drawdown_pct", x.max_drawdown_pct);
}

template <class F>
void fields(F& f, risk_limits_update& x) {
  f("update_id", x.update_id);
  f("limits", x.limits);
  f("reason", x.reason);
  f("issued_by", x.issued_by);
  f("ts_ms", x.ts_ms);
}

template <class F>
void fields(F& f, risk_limits_report& x) {
  f("node", x.node);
  f("update_id", x.update_id);
  f("accepted", x.accepted);
  f("error", x.error);
  f("limits", x.limits);
  f("ts_ms", x.ts_ms);
}

template <class F>
void fields(F& f, strategy_params& x) {
  f("fast", x.fast);
  f("slow", x.slow);
  f("order_notional", x.order_notional);
  f("qty_step", x.qty_step);
  f("allow_short", x.allow_short);
}

template <class F>
void fields(F& f, strategy_update& x) {
  f("update_id", x.update_id);
  f("strategy_id", x.strategy_id);
  f("params", x.params);
  f("reason", x.reason);
  f("issued_by", x.issued_by);
  f("ts_ms", x.ts_ms);
}

template <class F>
void fields(F& f, strategy_report& x) {
  f("node", x.node);
  f("strategy_id", x.strategy_id);
  f("update_id", x.update_id);
  f("accepted", x.accepted);
  f("error", x.error);
  f("params", x.params);
  f("ts_ms", x.ts_ms);
}

template <class F>
void fields(F& f, trading_state_changed& x) {
  f("node", x.node);
  f("scope", x.scope);
  f("scope_id", x.scope_id);
  f("state", x.state);
  f("cause", x.cause);
  f("ts_ms", x.ts_ms);
  f("detail", x.detail);
}

template <class F>
void fields(F& f, heartbeat& x) {
  f("node", x.node);
  f("seq", x.seq);
  f("ts_ms", x.ts_ms);
  f("actors", x.actors);
  f("state", x.state);
}

template <class F>
void fields(F& f, watermark& x) {
  f("source", x.source);
  f("ts_ms", x.ts_ms);
  f("end_of_stream", x.end_of_stream);
}

} // namespace tradewind::json::detail
