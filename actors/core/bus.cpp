#include "actors/core/bus.hpp"

#include <string>

#include "caf/actor_system.hpp"
#include "caf/group_manager.hpp"

namespace tradewind {

caf::group topic_group(caf::actor_system& sys, topic t) {
  return sys.groups().get_local(std::string{topic_name(t)});
}

} // namespace tradewind
