#pragma once
// Tallies of one run and their one-screen rendering; pure (no CAF).

#include <cstdint>
#include <map>
#include <string>

#include "schemas/control.hpp"
#include "schemas/market.hpp"
#include "schemas/trading.hpp"

namespace tradewind {

/// What `tradewind run` prints at the end of a finite replay.
struct run_summary {
  uint64_t ticks = 0;                ///< bars + trade ticks published by the collector
  uint64_t signals = 0;
  uint64_t intents = 0;              ///< risk decisions taken
  std::map<std::string, uint64_t> denials_by_reason;
  std::map<std::string, std::string> order_status; ///< client order id → latest status
  uint64_t fills = 0;
  /// Σ price × qty and Σ fee. A tally that overflows stays an error (the summary prints
  /// "overflow") rather than a wrong number: it is a report, the run itself goes on.
  fixed_result fill_notional = fixed{};
  fixed_result fees = fixed{};
  fixed initial_equity;
  fixed final_equity;
  fixed max_drawdown_pct;
  uint64_t alerts = 0;
  int64_t first_ts_ms = 0;
  int64_t last_ts_ms = 0;
  bool complete = false;             ///< the account watermark reached end of stream

  void on(const bar& b);
  void on(const trade_tick& t);
  void on(const signal&) { ++signals; }
  void on(const risk_decision& d);
  void on(const order& o) { order_status[o.client_order_id] = std::string{to_string(o.status)}; }
  void on(const fill& f);
  void on(const account_snapshot& s);
  void on(const alert&) { ++alerts; }

  std::map<std::string, uint64_t> orders_by_status() const;
  /// Return on initial equity in percent (zero before the first snapshot).
  fixed_result return_pct() const;
};

/// Multi-line human summary; `store_location` says where the records are.
std::string format_summary(const run_summary& s, const std::string& store_location);

} // namespace tradewind
