#pragma once
// Access to the node's topics as CAF local groups.

#include "caf/fwd.hpp"
#include "caf/group.hpp"

#include "schemas/topics.hpp"

namespace tradewind {

/// The local group of topic `t` in `sys` (same handle for every caller in that system).
caf::group topic_group(caf::actor_system& sys, topic t);

} // namespace tradewind
