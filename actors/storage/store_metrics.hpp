#pragma once
// The store writer's figures in the node's metrics registry: records waiting, commit
// duration, records written by kind, failed commits.

#include <cstddef>
#include <cstdint>

namespace prometheus {
class Counter;
class Gauge;
class Histogram;
} // namespace prometheus

namespace tradewind {

class metrics_registry;
struct store_batch;

/// Owned by the store writer actor; the metrics it updates live in the registry, so a
/// restarted writer continues the same series.
class store_metrics {
public:
  /// `queue_limit`: store.max_pending_records, exported as tradewind_store_queue_limit.
  store_metrics(metrics_registry& registry, int64_t queue_limit);

  /// tradewind_store_queue_depth: records received and not yet committed.
  void set_queue_depth(size_t records);
  /// A successful commit of `batch` that took `seconds`: tradewind_store_write_seconds and
  /// tradewind_store_records_written_total{kind}.
  void committed(const store_batch& batch, double seconds);
  /// tradewind_store_commit_failures_total.
  void commit_failed();

private:
  prometheus::Gauge& depth_;
  prometheus::Histogram& write_;
  prometheus::Counter& orders_;
  prometheus::Counter& fills_;
  prometheus::Counter& decisions_;
  prometheus::Counter& positions_;
  prometheus::Counter& snapshots_;
  prometheus::Counter& alerts_;
  prometheus::Counter& failures_;
};

} // namespace tradewind
