#include "actors/core/system_config.hpp"

#include "caf/atom.hpp"

#include "schemas/registry.hpp"

namespace tradewind {

node_system_config::node_system_config(int threads) {
  register_message_types(*this);
  set("scheduler.max-threads", threads);
  set("logger.console", caf::atom("none"));
  set("logger.file-verbosity", caf::atom("quiet"));
}

} // namespace tradewind
