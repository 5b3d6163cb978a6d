#pragma once
// Portfolio ledger: cash, positions, PnL, equity, high-water mark and drawdown.
// Pure logic (no CAF); lives inside the portfolio actor.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "schemas/fixed.hpp"
#include "schemas/trading.hpp"

namespace tradewind {

/// Books fills and marks in fixed-point arithmetic and produces account snapshots.
///
/// Rounding (every product is rounded half away from zero to 8 digits, sums are exact):
/// - cash moves by round(price × qty) ± fee;
/// - a position's average entry price is Σ price×qty / Σ qty over the fills that opened
///   it, computed exactly and rounded once per fill;
/// - realized PnL of a reducing fill is round((price − avg) × closed qty) (sign flipped for
///   shorts); fees are NOT in realized PnL, they are counted in fees_paid and cash;
/// - unrealized PnL per position is round((last − avg) × qty);
/// - equity = cash + Σ round(qty × last) over positions, exactly.
/// A symbol that was filled but never marked uses its last fill price as last price.
///
/// Overflow: every amount is checked. The ledger keeps one invariant: its whole snapshot
/// (cash, equity, PnL, drawdown) fits `fixed`. A fill or mark that would break it is refused
/// and leaves the ledger exactly as it was; the caller learns why from the returned text.
/// Refusing is the sound choice because the alternative is a wrapped cash or position that
/// every later decision would trust; the portfolio actor then halts the node (the books no
/// longer match the venue) so an operator looks before anything else trades.
class ledger {
public:
  explicit ledger(fixed initial_cash);

  /// Books a fill: moves cash, pays the fee, updates the position (open, add, reduce,
  /// close, or flip: a flip closes at the fill price and opens the remainder at it).
  /// Returns nullopt when booked, or why the fill does not fit (then nothing changed).
  std::optional<std::string> apply_fill(const fill& f);
  /// Tracks open orders: non-terminal orders are kept (latest state), terminal ones dropped.
  void apply_order(const order& o);
  /// Sets the last price of `symbol` (creating a flat position when it is new). Returns
  /// nullopt when applied, or why the account valued at that price does not fit (then the
  /// previous price stays).
  std::optional<std::string> mark(const std::string& symbol, fixed price, int64_t ts_ms);

  /// Position updates for symbols whose position changed (by a fill) since the last call,
  /// sorted by symbol, stamped `ts_ms`; clears the changed set.
  std::vector<position_update> take_changed_positions(int64_t ts_ms);
  /// The account as of `ts_ms`. Updates the high-water mark (max equity over snapshots) and
  /// the day start equity (equity at the first snapshot of each UTC day, ts_ms / 86400000).
  account_snapshot snapshot(int64_t ts_ms);

  /// Current position of `symbol` (flat with zero prices when never seen).
  position_update position(const std::string& symbol, int64_t ts_ms) const;
  fixed cash() const { return cash_; }
  fixed fees_paid() const { return fees_paid_; }
  /// cash + Σ qty × last price (no side effects).
  fixed equity() const;

private:
  struct position_state {
    fixed qty;           ///< signed
    fixed avg_entry;     ///< zero when flat
    fixed last;          ///< last mark, or last fill price until the first mark
    fixed realized;      ///< cumulative, fees excluded
    bool marked = false; ///< a market price has been seen
  };

  /// A fill's effect, computed before anything changes.
  struct booking {
    fixed cash;
    fixed fees_paid;
    fixed share;
    position_state position;
  };

  static position_update to_update(const std::string& symbol, const position_state& p,
                                   int64_t ts_ms);
  /// The unrealized PnL of `p`, or an error when it does not fit.
  static fixed_result unrealized(const position_state& p);
  std::variant<booking, std::string> book(const fill& f) const;
  /// The snapshot as of `ts_ms` without touching the high-water mark or day start; the
  /// error says which amount does not fit.
  std::variant<account_snapshot, std::string> compute(int64_t ts_ms) const;

  fixed cash_;
  fixed fees_paid_;
  std::map<std::string, position_state> positions_; ///< every symbol seen, sorted
  std::set<std::string> changed_;                   ///< filled since the last take
  std::vector<order> open_orders_;                  ///< in order of first appearance
  std::map<std::pair<std::string, std::string>, fixed> strategy_qty_; ///< (strategy, symbol) → qty
  std::optional<fixed> high_water_mark_;
  std::optional<int64_t> day_;                      ///< UTC day of the last snapshot
  fixed day_start_equity_;
};

} // namespace tradewind
