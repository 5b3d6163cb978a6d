#pragma once
// What every actor of a node shares: its name, logger, wall clock and metrics registry.
// Passed explicitly (no globals), so tests can run several nodes in one process.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace spdlog {
class logger;
} // namespace spdlog

namespace tradewind {

class latency_tracker;
class crash_points;
class metrics_registry;

struct node_context {
  std::string node_name = "node-1";
  /// Structured logger (key=value or JSON lines); never null.
  std::shared_ptr<spdlog::logger> log;
  /// Wall-clock time in Unix ms; replaced by a fixed clock in tests.
  std::function<int64_t()> wall_clock_ms;
  /// Tick-to-order latency instrumentation (collector stamps, executor measures); never null.
  std::shared_ptr<latency_tracker> latency;
  /// Fault injection for crash-recovery tests (crash_points.hpp); disarmed unless
  /// `tradewind run` finds TRADEWIND_CRASH_AT. Never null.
  std::shared_ptr<crash_points> crash;
  /// The node's metric families and per-actor figures (actors/core/metrics_registry.hpp),
  /// served by the bridge at /metrics; never null.
  std::shared_ptr<metrics_registry> metrics;
};

/// A context that logs to stderr at `level` in `format` ("text" or "json").
std::shared_ptr<node_context> make_node_context(const std::string& node_name,
                                                const std::string& level = "info",
                                                const std::string& format = "text");

} // namespace tradewind
