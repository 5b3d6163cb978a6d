#pragma once
// Run monitor actor: watches every topic, keeps the run summary, and tells the node when
// a finite replay has gone all the way through the pipeline.

#include <functional>
#include <memory>

#include "caf/fwd.hpp"

#include "actors/core/run_summary.hpp"

namespace tradewind {

/// Called once, from the monitor's thread, when watermark{"account", end_of_stream} arrives.
using run_complete_handler = std::function<void(const run_summary&)>;

/// Subscribes to all topics. Answers `stats_atom` with the current run_summary.
caf::actor spawn_run_monitor(caf::actor_system& sys, run_complete_handler on_complete);

} // namespace tradewind
