#include "actors/storage/store_metrics.hpp"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include "actors/core/metrics_registry.hpp"
#include "actors/storage/store.hpp"

namespace tradewind {

namespace {

using prometheus::BuildCounter;
using prometheus::BuildGauge;
using prometheus::BuildHistogram;

prometheus::Family<prometheus::Counter>& written_family(prometheus::Registry& r) {
  return BuildCounter()
    .Name("tradewind_store_records_written_total")
    .Help("Records committed to the store, by kind (order|fill|decision|position|snapshot|alert).")
    .Register(r);
}

/// Commit durations from 250 µs (SQLite, small batch) to 10 s (PostgreSQL timeouts).
prometheus::Histogram::BucketBoundaries commit_buckets() {
  return {0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10};
}

} // namespace

store_metrics::store_metrics(metrics_registry& registry, int64_t queue_limit)
  : depth_(BuildGauge()
             .Name("tradewind_store_queue_depth")
             .Help("Records the store writer received and has not committed yet.")
             .Register(registry.families())
             .Add({})),
    write_(BuildHistogram()
             .Name("tradewind_store_write_seconds")
             .Help("Duration of each successful store commit (one transaction per batch).")
             .Register(registry.families())
             .Add({}, commit_buckets())),
    orders_(written_family(registry.families()).Add({{"kind", "order"}})),
    fills_(written_family(registry.families()).Add({{"kind", "fill"}})),
    decisions_(written_family(registry.families()).Add({{"kind", "decision"}})),
    positions_(written_family(registry.families()).Add({{"kind", "position"}})),
    snapshots_(written_family(registry.families()).Add({{"kind", "snapshot"}})),
    alerts_(written_family(registry.families()).Add({{"kind", "alert"}})),
    failures_(BuildCounter()
                .Name("tradewind_store_commit_failures_total")
                .Help("Store commits that failed (the records stay queued and are retried).")
                .Register(registry.families())
                .Add({})) {
  BuildGauge()
    .Name("tradewind_store_queue_limit")
    .Help("store.max_pending_records: queued records above which the writer halts trading.")
    .Register(registry.families())
    .Add({})
    .Set(static_cast<double>(queue_limit));
}

void store_metrics::set_queue_depth(size_t records) {
  depth_.Set(static_cast<double>(records));
}

void store_metrics::committed(const store_batch& batch, double seconds) {
  write_.Observe(seconds);
  orders_.Increment(static_cast<double>(batch.orders.size()));
  fills_.Increment(static_cast<double>(batch.fills.size()));
  decisions_.Increment(static_cast<double>(batch.decisions.size()));
  positions_.Increment(static_cast<double>(batch.positions.size()));
  snapshots_.Increment(static_cast<double>(batch.snapshots.size()));
  alerts_.Increment(static_cast<double>(batch.alerts.size()));
}

void store_metrics::commit_failed() {
  failures_.Increment();
}

} // namespace tradewind
