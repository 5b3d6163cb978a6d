#include "actors/core/actor_metrics.hpp"

#include <limits>

#include <prometheus/metric_family.h>

namespace tradewind {

void actor_probe::record_sample(int64_t handling_ns, size_t mailbox_depth) noexcept {
  constexpr auto relaxed = std::memory_order_relaxed;
  size_t bucket = 0;
  while (bucket < bucket_bounds_ns.size() && handling_ns > bucket_bounds_ns[bucket])
    ++bucket;
  buckets_[bucket].fetch_add(1, relaxed);
  sum_ns_.fetch_add(static_cast<uint64_t>(handling_ns > 0 ? handling_ns : 0), relaxed);
  depth_.store(mailbox_depth, relaxed);
}

std::array<uint64_t, actor_probe::bucket_bounds_ns.size() + 1> actor_probe::buckets() const noexcept {
  std::array<uint64_t, bucket_bounds_ns.size() + 1> out{};
  for (size_t i = 0; i < out.size(); ++i)
    out[i] = buckets_[i].load(std::memory_order_relaxed);
  return out;
}

actor_probe& actor_metrics::probe(const std::string& actor) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto& slot = probes_[actor];
  if (!slot)
    slot = std::make_unique<actor_probe>();
  return *slot;
}

namespace {

prometheus::MetricFamily family(const char* name, const char* help, prometheus::MetricType type) {
  prometheus::MetricFamily f;
  f.name = name;
  f.help = help;
  f.type = type;
  return f;
}

prometheus::ClientMetric labelled(const std::string& actor) {
  prometheus::ClientMetric m;
  m.label.push_back({"actor", actor});
  return m;
}

/// A histogram sample whose count is the sum of its buckets, so they agree although the actor
/// keeps recording while they are read.
prometheus::ClientMetric histogram_of(const std::string& actor, const actor_probe& p) {
  auto m = labelled(actor);
  auto counts = p.buckets();
  uint64_t cumulative = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    cumulative += counts[i];
    prometheus::ClientMetric::Bucket b;
    b.cumulative_count = cumulative;
    b.upper_bound = i < actor_probe::bucket_bounds_ns.size()
                      ? static_cast<double>(actor_probe::bucket_bounds_ns[i]) / 1e9
                      : std::numeric_limits<double>::infinity();
    m.histogram.bucket.push_back(b);
  }
  m.histogram.sample_count = cumulative;
  m.histogram.sample_sum = static_cast<double>(p.handling_ns()) / 1e9;
  return m;
}

} // namespace

std::vector<prometheus::MetricFamily> actor_metrics::Collect() const {
  using prometheus::MetricType;
  auto handled = family("tradewind_actor_messages_handled_total",
                        "Messages an actor handled (matched by its behavior), by actor.", MetricType::Counter);
  auto seconds = family("tradewind_actor_handling_seconds",
                        "Time an actor spent in its message handler, over a 1-in-16 sample of its messages, by actor.",
                        MetricType::Histogram);
  auto depth = family("tradewind_actor_mailbox_depth",
                      "Messages waiting in the actor's mailbox at its last sampled message (0 once it drained it), "
                      "by actor.",
                      MetricType::Gauge);
  std::lock_guard<std::mutex> guard{mtx_};
  for (const auto& [actor, p] : probes_) {
    auto h = histogram_of(actor, *p);
    auto c = labelled(actor);
    c.counter.value = static_cast<double>(p->handled());
    auto d = labelled(actor);
    d.gauge.value = static_cast<double>(p->mailbox_depth());
    handled.metric.push_back(std::move(c));
    seconds.metric.push_back(std::move(h));
    depth.metric.push_back(std::move(d));
  }
  if (probes_.empty())
    return {};
  return {std::move(handled), std::move(seconds), std::move(depth)};
}

} // namespace tradewind
