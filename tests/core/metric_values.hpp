#pragma once
// Reading one sample out of a prometheus Collectable (the node's metrics registry), for tests.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <thread>

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

namespace tradewind::test {

/// The value of the first sample of family `name` carrying every label of `labels`: the
/// counter or gauge value, or a histogram's sample count. nullopt when there is none.
inline std::optional<double> metric_value(const prometheus::Collectable& c, const std::string& name,
                                          const std::map<std::string, std::string>& labels = {}) {
  for (const auto& family : c.Collect()) {
    if (family.name != name)
      continue;
    for (const auto& m : family.metric) {
      size_t matched = 0;
      for (const auto& l : m.label)
        matched += labels.count(l.name) && labels.at(l.name) == l.value ? 1 : 0;
      if (matched != labels.size())
        continue;
      switch (family.type) {
        case prometheus::MetricType::Counter: return m.counter.value;
        case prometheus::MetricType::Gauge: return m.gauge.value;
        case prometheus::MetricType::Histogram: return static_cast<double>(m.histogram.sample_count);
        default: return std::nullopt;
      }
    }
  }
  return std::nullopt;
}

/// Polls metric_value every 10 ms for up to 20 s until it equals `expected` (for figures an
/// actor records just after the reply the test waits for); the last value read.
inline std::optional<double> await_metric(const prometheus::Collectable& c, const std::string& name,
                                          const std::map<std::string, std::string>& labels, double expected) {
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  auto v = metric_value(c, name, labels);
  while (v != expected && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    v = metric_value(c, name, labels);
  }
  return v;
}

} // namespace tradewind::test
