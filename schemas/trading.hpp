#pragma once
// Order-flow messages: strategy signals, order intents, risk decisions, orders, fills,
// positions and account snapshots.

#include <cstdint>
#include <string>
#include <vector>

#include "schemas/enums.hpp"
#include "schemas/fixed.hpp"

namespace tradewind {

/// A strategy's view of where its position in a symbol should be.
/// Published on the signals topic; the risk gate turns it into an order intent.
struct signal {
  static constexpr int schema_version = 1;
  std::string strategy_id;
  std::string symbol;
  int64_t ts_ms = 0;       ///< event time of the market data that produced it
  uint64_t seq = 0;        ///< per strategy and symbol, starts at 1; part of the client order id
  int32_t direction = 0;   ///< -1 short, 0 flat, +1 long
  fixed target_qty;        ///< signed target position in base units
  fixed reference_price;   ///< price the signal saw (last close)
  std::string reason;      ///< e.g. "ma_cross_up fast=10 slow=30"
};

/// A request to trade, before risk checks. Its client order id is deterministic, so a
/// repeated intent never becomes a second order.
struct order_intent {
  static constexpr int schema_version = 1;
  std::string client_order_id;
  std::string strategy_id;   ///< "manual" for operator orders
  std::string symbol;
  side order_side = side::buy;
  order_type type = order_type::market;
  fixed qty;                 ///< positive, base units
  fixed limit_price;         ///< zero for market orders
  bool reduce_only = false;
  int64_t ts_ms = 0;         ///< event time; the order fills on market data strictly after it
};

/// The risk gate's verdict on one order intent.
struct risk_decision {
  static constexpr int schema_version = 1;
  std::string client_order_id;
  std::string strategy_id;
  std::string symbol;
  bool approved = false;
  deny_reason reason = deny_reason::none;
  std::string detail;        ///< human-readable context, e.g. "notional 12000 > limit 10000"
  int64_t ts_ms = 0;
};

/// The executor's record of an order; published on every state change.
struct order {
  static constexpr int schema_version = 1;
  std::string client_order_id;
  std::string strategy_id;
  std::string symbol;
  side order_side = side::buy;
  order_type type = order_type::market;
  fixed qty;
  fixed limit_price;
  bool reduce_only = false;
  order_status status = order_status::new_order;
  fixed filled_qty;
  fixed avg_fill_price;
  int64_t created_ts_ms = 0;
  int64_t updated_ts_ms = 0;
  std::string reject_reason;
};

/// One execution (fill) of an order.
struct fill {
  static constexpr int schema_version = 1;
  std::string fill_id;       ///< unique; paper fills use "<client_order_id>-<n>"
  std::string client_order_id;
  std::string strategy_id;
  std::string symbol;
  side order_side = side::buy;
  fixed price;
  fixed qty;
  fixed fee;                 ///< in quote currency, always >= 0
  int64_t ts_ms = 0;         ///< event time of the market data that filled it
};

/// Position in one symbol after a fill or a mark-to-market.
struct position_update {
  static constexpr int schema_version = 1;
  std::string symbol;
  fixed qty;                 ///< signed
  fixed avg_entry_price;
  fixed last_price;
  fixed realized_pnl;
  fixed unrealized_pnl;
  int64_t ts_ms = 0;
};

/// One strategy's share of a symbol's position (sum of that strategy's signed fills).
/// Strategies size their targets against their own share, so two strategies trading the
/// same symbol do not undo each other's orders.
struct strategy_position {
  std::string strategy_id;
  std::string symbol;
  fixed qty; ///< signed
};

/// Account state as the portfolio sees it at an event time.
struct account_snapshot {
  static constexpr int schema_version = 1;
  int64_t ts_ms = 0;
  fixed cash;
  fixed equity;              ///< cash + Σ position × last price
  fixed realized_pnl;
  fixed unrealized_pnl;
  fixed fees_paid;
  fixed high_water_mark;
  fixed drawdown_pct;        ///< (hwm - equity) / hwm × 100
  fixed day_start_equity;    ///< equity at the first event of the current UTC day
  std::vector<position_update> positions; ///< every symbol seen, flat ones included (last prices)
  std::vector<order> open_orders;         ///< orders not yet in a terminal state
  std::vector<strategy_position> strategy_positions; ///< non-zero per-strategy shares
};

/// Asks the executor to cancel one open order, or every open order when client_order_id is empty.
struct cancel_request {
  static constexpr int schema_version = 1;
  std::string client_order_id; ///< empty = cancel all (kill switch)
  std::string reason;
  int64_t ts_ms = 0;
};

/// A new order record for `in`, stamped created/updated at `ts_ms`, status new_order.
order order_from_intent(const order_intent& in, int64_t ts_ms);

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, cancel_request& x) {
  return f(caf_type_name("cancel_request"), x.client_order_id, x.reason, x.ts_ms);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, signal& x) {
  return f(caf_type_name("signal"), x.strategy_id, x.symbol, x.ts_ms, x.seq, x.direction,
           x.target_qty, x.reference_price, x.reason);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, order_intent& x) {
  return f(caf_type_name("order_intent"), x.client_order_id, x.strategy_id, x.symbol, x.order_side,
           x.type, x.qty, x.limit_price, x.reduce_only, x.ts_ms);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, risk_decision& x) {
  return f(caf_type_name("risk_decision"), x.client_order_id, x.strategy_id, x.symbol, x.approved,
           x.reason, x.detail, x.ts_ms);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, order& x) {
  return f(caf_type_name("order"), x.client_order_id, x.strategy_id, x.symbol, x.order_side, x.type,
           x.qty, x.limit_price, x.reduce_only, x.status, x.filled_qty, x.avg_fill_price,
           x.created_ts_ms, x.updated_ts_ms, x.reject_reason);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, fill& x) {
  return f(caf_type_name("fill"), x.fill_id, x.client_order_id, x.strategy_id, x.symbol,
           x.order_side, x.price, x.qty, x.fee, x.ts_ms);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, position_update& x) {
  return f(caf_type_name("position_update"), x.symbol, x.qty, x.avg_entry_price, x.last_price,
           x.realized_pnl, x.unrealized_pnl, x.ts_ms);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, strategy_position& x) {
  return f(caf_type_name("strategy_position"), x.strategy_id, x.symbol, x.qty);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, account_snapshot& x) {
  return f(caf_type_name("account_snapshot"), x.ts_ms, x.cash, x.equity, x.realized_pnl,
           x.unrealized_pnl, x.fees_paid, x.high_water_mark, x.drawdown_pct, x.day_start_equity,
           x.positions, x.open_orders, x.strategy_positions);
}

} // namespace tradewind
