#pragma once
// Watermark buffering of the risk gate: holds signals and manual intents until every
// input has passed their event time, then releases them in a deterministic order.
// Pure logic: no CAF.

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include "schemas/control.hpp"
#include "schemas/trading.hpp"

namespace tradewind::risk {

/// A signal from a strategy or a manual order intent from an operator.
using queued_input = std::variant<signal, order_intent>;

/// Buffers inputs and tracks the watermark of every strategy and of the account.
/// W = min(strategy watermarks, account watermark); W is unknown until each of them has
/// sent one. Inputs with ts <= W are released ordered by (ts, strategy_id, symbol, seq for
/// signals / client order id for intents, arrival).
class decision_queue {
public:
  /// No watermark yet.
  static constexpr int64_t no_watermark = std::numeric_limits<int64_t>::min();

  /// Source name of the account watermark.
  static constexpr const char* account_source = "account";

  /// `strategy_ids`: strategies whose watermarks gate W; with none, W = account watermark.
  /// An entry is matched against the watermark source after "strategy:", so a strategy on
  /// another node is listed as "<id>@<node>" (its watermarks cross the broker with source
  /// "strategy:<id>@<node>", topology::strategy_watermark_inputs()).
  explicit decision_queue(const std::vector<std::string>& strategy_ids);

  /// False (and nothing queued) when the same signal — strategy, symbol, ts, seq — waits
  /// already: a strategy role replayed by another node re-sends what its first owner sent.
  bool push(signal s);
  void push(order_intent manual);

  /// Records a watermark from "strategy:<id>" (listed strategies only) or "account".
  /// Watermarks never move back. Returns false when the source is not an input.
  bool on_watermark(const watermark& wm);

  /// Current W, or no_watermark while some input has not sent a watermark.
  int64_t current() const;

  /// True once every strategy has sent end_of_stream and the account watermark has reached
  /// their last event time (or the account itself ended).
  bool ended() const;

  /// Removes and returns the inputs with ts <= W in decision order; everything when ended().
  std::vector<queued_input> pop_ready();

  /// Number of buffered inputs.
  size_t size() const { return items_.size(); }

private:
  /// (ts, strategy_id, symbol, seq, client order id, arrival)
  using key = std::tuple<int64_t, std::string, std::string, uint64_t, std::string, uint64_t>;

  struct source_state {
    int64_t ts = no_watermark;
    bool ended = false;
  };

  std::map<key, queued_input> items_;
  std::map<std::string, source_state> strategies_; ///< by strategy id
  source_state account_;
  uint64_t arrivals_ = 0;
};

} // namespace tradewind::risk
