#include "actors/core/metrics_registry.hpp"

#include <prometheus/registry.h>

#include "actors/core/actor_metrics.hpp"

namespace tradewind {

metrics_registry::metrics_registry()
  : families_(std::make_unique<prometheus::Registry>()), actors_(std::make_unique<actor_metrics>()) {}

metrics_registry::~metrics_registry() = default;

prometheus::Registry& metrics_registry::families() {
  return *families_;
}

actor_metrics& metrics_registry::actors() {
  return *actors_;
}

std::vector<prometheus::MetricFamily> metrics_registry::Collect() const {
  auto out = families_->Collect();
  auto actor_families = actors_->Collect();
  out.insert(out.end(), std::make_move_iterator(actor_families.begin()),
             std::make_move_iterator(actor_families.end()));
  return out;
}

} // namespace tradewind
