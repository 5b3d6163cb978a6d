#pragma once
// The node's metrics registry: the metric families its actors and links define (each owner
// registers its own), plus the per-actor message figures. One per node, reached through
// node_context (never a global); the bridge serves it at /metrics with its own families.

#include <memory>
#include <vector>

#include <prometheus/collectable.h>

namespace prometheus {
class Registry;
} // namespace prometheus

namespace tradewind {

class actor_metrics;

/// Thread-safe; every metric it hands out lives as long as the registry.
class metrics_registry : public prometheus::Collectable {
public:
  metrics_registry();
  ~metrics_registry() override;
  metrics_registry(const metrics_registry&) = delete;
  metrics_registry& operator=(const metrics_registry&) = delete;

  /// Where owners register their families (prometheus::BuildCounter()…Register(families())).
  /// Registering a family again (an actor restarted) returns the existing one.
  prometheus::Registry& families();
  /// Per-actor probes (actors/core/actor_metrics.hpp).
  actor_metrics& actors();

  /// Every family: the registered ones and the actor families.
  std::vector<prometheus::MetricFamily> Collect() const override;

private:
  std::unique_ptr<prometheus::Registry> families_;
  std::unique_ptr<actor_metrics> actors_;
};

} // namespace tradewind
