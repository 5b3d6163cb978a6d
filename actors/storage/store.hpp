#pragma once
// The storage interface: what Tradewind persists (orders and their state changes, fills,
// risk decisions, positions, equity snapshots, alerts) and the queries the run summary,
// tests and the API need. Back ends (sqlite/, postgres/) implement it; nothing outside a
// back end sees SQL.

#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/node_config.hpp"
#include "schemas/control.hpp"
#include "schemas/enums.hpp"
#include "schemas/fixed.hpp"
#include "schemas/trading.hpp"

namespace tradewind {

/// Outcome of a store call that returns nothing: ok, or an error with the back end's message.
class store_status {
public:
  static store_status ok() { return store_status{}; }
  static store_status error(std::string message) { return store_status{std::move(message)}; }

  bool is_ok() const { return !failed_; }
  explicit operator bool() const { return is_ok(); }
  /// Human-readable cause, including the back end's own message; empty when ok.
  const std::string& message() const { return message_; }

private:
  store_status() = default;
  explicit store_status(std::string m) : failed_(true), message_(std::move(m)) {}
  bool failed_ = false;
  std::string message_;
};

/// A value or the error that prevented computing it (C++17 has no std::expected).
template <class T>
class store_result {
public:
  store_result(T value) : value_(std::move(value)) {}
  store_result(store_status error) : error_(std::move(error)) {}

  bool is_ok() const { return value_.has_value(); }
  explicit operator bool() const { return is_ok(); }
  /// Precondition: is_ok().
  T& value() { return *value_; }
  const T& value() const { return *value_; }
  /// The error message; empty when ok.
  const std::string& error() const { return error_.message(); }
  const store_status& status() const { return error_; }

private:
  std::optional<T> value_;
  store_status error_ = store_status::ok();
};

/// One state change of an order, as recorded in the order_events table (every `order`
/// message the executor publishes is one event; a replayed message is not stored twice).
struct order_event {
  std::string client_order_id;
  order_status status = order_status::new_order;
  fixed filled_qty;
  fixed avg_fill_price;
  int64_t ts_ms = 0;          ///< the order's updated_ts_ms at this change
  std::string reject_reason;
};

/// Position of an order in the API's order listing (created_ts_ms, client_order_id): the
/// keyset cursor of query_orders, stable while new orders are written.
struct order_cursor {
  int64_t created_ts_ms = 0;
  std::string client_order_id;
};

/// Filter and page of query_orders. Time bounds apply to created_ts_ms, both inclusive.
struct order_query {
  std::optional<order_status> status; ///< current status; any when absent
  std::optional<std::string> symbol;  ///< any when absent
  int64_t from_ts_ms = std::numeric_limits<int64_t>::min();
  int64_t to_ts_ms = std::numeric_limits<int64_t>::max();
  size_t limit = 100;                 ///< orders per page; 0 is treated as 1
  std::optional<order_cursor> after;  ///< start after this order (the previous page's `next`)
};

/// One page of orders, oldest created first (ties by client_order_id).
struct order_page {
  std::vector<order> orders;
  std::optional<order_cursor> next; ///< cursor of the next page; absent on the last page
};

/// Filter and page of query_alerts. Time bounds apply to ts_ms, both inclusive.
struct alert_query {
  severity min_level = severity::info; ///< this severity or worse
  int64_t from_ts_ms = std::numeric_limits<int64_t>::min();
  int64_t to_ts_ms = std::numeric_limits<int64_t>::max();
  size_t offset = 0; ///< matching alerts to skip
  size_t limit = 100; ///< alerts returned at most; 0 is treated as 1
};

/// An intent the risk gate approved, with its decision: what goes into the order outbox.
struct approved_order {
  risk_decision decision;
  order_intent intent;
};

/// The durable trading state of one risk-gate scope (the kill switch and the breaker
/// latches): what a restarted node restores before it takes its first signal. One row per
/// scope in the trading_states table, written in the same transaction as the decision that
/// changed it (store::write_outbox); a scope back to active keeps its row (state active).
struct trading_state_record {
  /// "node", "strategy:<id>", "symbol:<symbol>", or "daily_loss" (the daily-loss latch).
  std::string scope;
  /// halted / reducing / active; the daily-loss latch is reducing while tripped.
  trading_state state = trading_state::active;
  /// "operator" (a control command), "drawdown" (node halted by the drawdown breaker) or
  /// "daily_loss" (the daily-loss breaker).
  std::string cause = "operator";
  /// Event time of the change: the risk gate's published watermark when it happened
  /// (std::numeric_limits<int64_t>::min() before the first). Inputs re-decided on a replay
  /// at or before it do not see the restored state; later ones do.
  int64_t since_ts_ms = 0;
  /// daily_loss only: the day_start_equity it tripped on and the UTC day (ts_ms / 86 400 000)
  /// of the snapshot that tripped it; the latch lifts when either changes.
  fixed day_start_equity;
  int64_t utc_day = 0;
  std::string detail;     ///< one line saying who or what changed it
  int64_t updated_ts_ms = 0; ///< wall clock of the write
};

/// Rows of the order outbox (see store::write_outbox).
struct outbox_counts {
  int64_t total = 0;
  int64_t unacked = 0; ///< not yet acknowledged by an executor
};

/// One operator action in the audit log (every mutating API call): who, what, on what.
struct audit_record {
  int64_t ts_ms = 0;    ///< wall clock
  std::string actor;    ///< "api:<key id>", or "api:anonymous" when the call was refused before auth; never a secret
  std::string action;   ///< e.g. "POST /api/v1/orders"
  std::string target;   ///< what it acted on (the request path)
  std::string detail;   ///< JSON object: outcome status, remote address, request body (truncated)
};

/// Records committed together in one transaction. Idempotency rules (so a retried batch
/// or a replayed event stream never duplicates rows):
/// - orders: upsert by client_order_id; an update is kept only if it is not older than the
///   stored row (later updated_ts_ms, or the same ts and a status at least as advanced);
///   every distinct (client_order_id, updated_ts_ms, status, filled_qty) is also appended
///   to order_events (a repeat is ignored); an order update with a status other than
///   new_order is the executor's acknowledgement: it marks the order's outbox row acked
///   (acked_ts_ms = the update's updated_ts_ms) in the same transaction;
/// - fills: unique fill_id, a repeated fill is ignored;
/// - risk_decisions: unique client_order_id, a repeat is ignored;
/// - positions: upsert by symbol, the newest ts_ms wins;
/// - snapshots: one equity row per ts_ms (only the scalar fields; positions and open
///   orders inside a snapshot are not stored, they arrive as their own records);
/// - alerts: appended.
struct store_batch {
  std::vector<order> orders;
  std::vector<fill> fills;
  std::vector<risk_decision> decisions;
  std::vector<position_update> positions;
  std::vector<account_snapshot> snapshots;
  std::vector<alert> alerts;

  /// Number of records of every kind.
  size_t size() const {
    return orders.size() + fills.size() + decisions.size() + positions.size() + snapshots.size() +
           alerts.size();
  }
  bool empty() const { return size() == 0; }
  void clear() { *this = store_batch{}; }
};

/// Persistent store of one node. Not thread-safe: owned and used by a single actor (the
/// store writer) or by a test.
class store {
public:
  virtual ~store() = default;

  /// Schema version of the open database (equals the newest version this build knows).
  virtual store_result<int> schema_version() = 0;

  /// Writes every record of `b` in ONE transaction: all or nothing.
  virtual store_status write_batch(const store_batch& b) = 0;

  // -- order outbox (risk gate → executor) ---------------------------------------------

  /// In ONE transaction, for every approved order not stored before: its order row (status
  /// new_order, created at intent.ts_ms) with its first order event, its risk decision and
  /// its outbox row (the intent as JSON, sent_ts_ms = now_ms). A client order id already
  /// present is left as it is, so a replayed intent is a no-op. The risk gate calls this
  /// and waits for it to succeed before anything reaches an executor.
  /// In the same transaction, every record of `states` is upserted into trading_states
  /// (by scope; a row is replaced only by one whose since_ts_ms is not older, so a replay
  /// re-deciding history never undoes a later change). Either list may be empty.
  virtual store_status write_outbox(const std::vector<approved_order>& approved,
                                    const std::vector<trading_state_record>& states, int64_t now_ms) = 0;
  /// write_outbox without state changes.
  store_status write_outbox(const std::vector<approved_order>& approved, int64_t now_ms) {
    return write_outbox(approved, {}, now_ms);
  }
  /// Intents of the outbox rows no executor acknowledged yet, oldest first: what a
  /// restarting node sends again before it accepts new signals.
  virtual store_result<std::vector<order_intent>> unacked_outbox() = 0;
  /// Records that the unacknowledged rows `client_order_ids` were sent again at now_ms.
  virtual store_status mark_outbox_sent(const std::vector<std::string>& client_order_ids, int64_t now_ms) = 0;
  /// Number of outbox rows, and of those not acknowledged.
  virtual store_result<outbox_counts> count_outbox() = 0;

  /// Every stored trading state (see trading_state_record), ordered by since_ts_ms, then scope.
  virtual store_result<std::vector<trading_state_record>> list_trading_states() = 0;

  // -- audit log of operator actions -----------------------------------------------------

  /// Appends one record in its own transaction.
  virtual store_status append_audit(const audit_record& r) = 0;
  /// Records with from_ts_ms <= ts_ms <= to_ts_ms, newest first (ties: last appended
  /// first), at most `limit` (0 is treated as 1).
  virtual store_result<std::vector<audit_record>> query_audit(int64_t from_ts_ms, int64_t to_ts_ms, size_t limit) = 0;

  // -- read paths (run summary, tests) -------------------------------------------------

  /// Number of orders per current status; statuses with no order are absent.
  virtual store_result<std::map<order_status, int64_t>> count_orders_by_status() = 0;
  /// Number of distinct fills.
  virtual store_result<int64_t> count_fills() = 0;
  /// Every order, oldest created first (ties by client_order_id).
  virtual store_result<std::vector<order>> list_orders() = 0;
  /// Every fill in event-time order (ties in arrival order).
  virtual store_result<std::vector<fill>> list_fills() = 0;
  /// Every risk decision in event-time order (ties by client_order_id).
  virtual store_result<std::vector<risk_decision>> list_decisions() = 0;
  /// Latest position of every symbol, by symbol.
  virtual store_result<std::vector<position_update>> list_positions() = 0;
  /// The equity snapshot with the greatest ts_ms (positions/open_orders empty); nullopt if none.
  virtual store_result<std::optional<account_snapshot>> last_snapshot() = 0;
  /// Largest drawdown_pct over all snapshots; zero when there is none.
  virtual store_result<fixed> max_drawdown_pct() = 0;
  /// Denied risk decisions per reason; reasons with no denial are absent.
  virtual store_result<std::map<deny_reason, int64_t>> count_denials_by_reason() = 0;
  /// Every alert in the order it was stored.
  virtual store_result<std::vector<alert>> list_alerts() = 0;
  /// The state changes of one order, oldest first (ties in arrival order).
  virtual store_result<std::vector<order_event>> list_order_events(const std::string& client_order_id) = 0;
  /// Equity snapshots with from_ts_ms <= ts_ms <= to_ts_ms, oldest first (scalar fields
  /// only, positions/open_orders empty).
  virtual store_result<std::vector<account_snapshot>> list_snapshots(int64_t from_ts_ms, int64_t to_ts_ms) = 0;

  // -- API read paths (bridge/rest). Defaults are computed from the list_* reads above;
  // a back end may override one with a narrower query, with identical results. ----------

  /// One page of the orders matching `q`; follow `next` for the following page.
  virtual store_result<order_page> query_orders(const order_query& q);
  /// The fills of one order in event-time order (ties in arrival order).
  virtual store_result<std::vector<fill>> fills_for_order(const std::string& client_order_id);
  /// The equity curve between the bounds (inclusive): every `every_nth` snapshot counted
  /// from the first in range (1 or 0 = all), and always the last one in range.
  virtual store_result<std::vector<account_snapshot>> equity_curve(int64_t from_ts_ms, int64_t to_ts_ms,
                                                                    size_t every_nth = 1);
  /// The alerts matching `q`, in the order they were stored.
  virtual store_result<std::vector<alert>> query_alerts(const alert_query& q);
};

// -- pure helpers behind the default API read paths (unit-tested directly) -----------------

/// The page of `orders` (sorted by created_ts_ms, client_order_id) that `q` selects.
order_page select_orders(const std::vector<order>& orders, const order_query& q);
/// Every `every_nth` of `snapshots` (sorted by ts_ms) from the first, plus the last one.
std::vector<account_snapshot> downsample(const std::vector<account_snapshot>& snapshots, size_t every_nth);
/// The alerts of `alerts` (in stored order) that `q` selects.
std::vector<alert> select_alerts(const std::vector<alert>& alerts, const alert_query& q);

/// Schema version of a database next to the newest one this build knows.
struct schema_status {
  int current = 0; ///< 0 for an empty (never migrated) database
  int latest = 0;  ///< the newest migration of this build
};

/// Opens the store named by `cfg.url`:
/// - `sqlite:PATH` (PATH relative to the working directory; `sqlite::memory:` for a private
///   in-memory database): the embedded default, created and migrated automatically;
/// - `postgresql://user:pass@host[:port]/db[?params]` (or `postgres://`): a pool of
///   `cfg.pool_size` connections; NOT migrated automatically: a database whose schema is
///   older than this build is refused with a message saying to run `tradewind db migrate`.
/// Fails with a message naming the url (password redacted) for any other scheme, an
/// unreachable server, wrong credentials, an unreadable file, or a schema newer than this build.
store_result<std::unique_ptr<store>> open_store(const store_config& cfg);

/// The schema version of the database named by `cfg.url`, changing nothing (an absent
/// SQLite file or an empty PostgreSQL database is version 0).
store_result<schema_status> read_schema_status(const store_config& cfg);

/// Applies every missing migration up to `target_version` (0 = the latest), each in its own
/// transaction, and returns the status afterwards. Safe to run concurrently and repeatedly.
/// Refuses a database newer than this build, and a target older than the database.
store_result<schema_status> migrate_store(const store_config& cfg, int target_version = 0);


} // namespace tradewind
