#pragma once
// The storage interface: what Tradewind persists (orders, fills, risk decisions, positions,
// equity snapshots, alerts) and the few queries the run summary and tests need. Back ends
// (sqlite/ now, postgres/ later) implement it; nothing outside a back end sees SQL.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
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

/// Records committed together in one transaction. Idempotency rules (so a retried batch
/// or a replayed event stream never duplicates rows):
/// - orders: upsert by client_order_id; an update is kept only if it is not older than the
///   stored row (later updated_ts_ms, or the same ts and a status at least as advanced);
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
};

/// Opens (creating and migrating when needed) the store named by `cfg.url`:
/// `sqlite:PATH` (PATH relative to the working directory; `sqlite::memory:` for a private
/// in-memory database). Fails with a message naming the url for any other scheme, an
/// unreadable file, or a schema newer than this build.
store_result<std::unique_ptr<store>> open_store(const store_config& cfg);

} // namespace tradewind
