#pragma once
// The bridge's use of the node's store: reads for the API and the audit log of operator
// actions, on its own connection to the same database (SQLite WAL lets it work beside the
// store writer), opened lazily and serialized by a mutex because a store object is
// single-threaded.

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "actors/storage/store.hpp"

namespace tradewind::rest {

/// Thread-safe reads of the store named by a store_config.
class store_reader {
public:
  /// `on_read(ok, seconds)` is told about every read (metrics); may be empty.
  store_reader(store_config cfg, std::function<void(bool, double)> on_read);
  ~store_reader();

  /// False when the store is private to the writer (sqlite::memory:), so it cannot be shared.
  bool shareable() const;

  /// Checks that the store answers (schema_version); the error text on failure.
  std::optional<std::string> ping();

  store_result<std::vector<order>> orders();
  store_result<std::vector<fill>> fills();
  store_result<std::vector<alert>> alerts();
  /// The durable trading states a restarted risk gate restores (store::list_trading_states).
  store_result<std::vector<trading_state_record>> trading_states();
  store_status append_audit(const audit_record& r);
  store_result<std::vector<audit_record>> audit(int64_t from_ts_ms, int64_t to_ts_ms, size_t limit);

private:
  template <class F>
  auto with_store(F&& f) -> decltype(f(std::declval<store&>()));

  store_config cfg_;
  std::function<void(bool, double)> on_read_;
  std::mutex mtx_;
  std::unique_ptr<store> store_;
};

} // namespace tradewind::rest
