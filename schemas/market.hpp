#pragma once
// Market data messages: what collectors publish on the market_data topic.

#include <cstdint>
#include <string>

#include "schemas/enums.hpp"
#include "schemas/fixed.hpp"

namespace tradewind {

/// One public trade printed by the venue.
struct trade_tick {
  static constexpr int schema_version = 1;
  std::string symbol;
  int64_t ts_ms = 0;         ///< venue event time, Unix ms UTC
  int64_t trade_id = 0;      ///< venue trade id, unique per symbol
  side aggressor = side::buy; ///< side of the taker
  fixed price;
  fixed qty;
};

/// One OHLCV candle. Its event time is `open_time_ms`; it is published once it has closed.
struct bar {
  static constexpr int schema_version = 1;
  std::string symbol;
  int64_t open_time_ms = 0;
  int64_t interval_ms = 0;   ///< candle length; 0 when unknown
  fixed open;
  fixed high;
  fixed low;
  fixed close;
  fixed volume;              ///< base-asset volume
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, trade_tick& x) {
  return f(caf_type_name("trade_tick"), x.symbol, x.ts_ms, x.trade_id, x.aggressor, x.price, x.qty);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, bar& x) {
  return f(caf_type_name("bar"), x.symbol, x.open_time_ms, x.interval_ms, x.open, x.high, x.low,
           x.close, x.volume);
}

} // namespace tradewind
