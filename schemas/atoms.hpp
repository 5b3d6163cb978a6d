#pragma once
// Control verbs between actors of one node (CAF 0.17 atoms, at most 10 characters).

#include "caf/atom.hpp"

namespace tradewind {

/// Ask an actor to commit everything it buffered; it replies with ok_atom when done.
using flush_atom = caf::atom_constant<caf::atom("flush")>;
/// Internal self-message: produce the next batch of work.
using next_atom = caf::atom_constant<caf::atom("next")>;
/// Ask for an actor's statistics.
using stats_atom = caf::atom_constant<caf::atom("stats")>;
/// Internal self-message: retry something after a back-off.
using retry_atom = caf::atom_constant<caf::atom("retry")>;
/// Supervisor: restart a child after its back-off.
using restart_atom = caf::atom_constant<caf::atom("restart")>;
/// Run monitor: the run is complete.
using done_atom = caf::atom_constant<caf::atom("done")>;

} // namespace tradewind
