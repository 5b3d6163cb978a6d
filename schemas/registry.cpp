#include "schemas/registry.hpp"

#include "caf/actor_system_config.hpp"

#include "schemas/control.hpp"
#include "schemas/market.hpp"
#include "schemas/trading.hpp"

namespace tradewind {

void register_message_types(caf::actor_system_config& cfg) {
  cfg.add_message_type<trade_tick>("trade_tick");
  cfg.add_message_type<bar>("bar");
  cfg.add_message_type<signal>("signal");
  cfg.add_message_type<order_intent>("order_intent");
  cfg.add_message_type<risk_decision>("risk_decision");
  cfg.add_message_type<order>("order");
  cfg.add_message_type<fill>("fill");
  cfg.add_message_type<cancel_request>("cancel_request");
  cfg.add_message_type<position_update>("position_update");
  cfg.add_message_type<std::vector<position_update>>("std::vector<position_update>");
  cfg.add_message_type<std::vector<order>>("std::vector<order>");
  cfg.add_message_type<strategy_position>("strategy_position");
  cfg.add_message_type<std::vector<strategy_position>>("std::vector<strategy_position>");
  cfg.add_message_type<account_snapshot>("account_snapshot");
  cfg.add_message_type<alert>("alert");
  cfg.add_message_type<control_command>("control_command");
  cfg.add_message_type<risk_limits>("risk_limits");
  cfg.add_message_type<risk_limits_update>("risk_limits_update");
  cfg.add_message_type<risk_limits_report>("risk_limits_report");
  cfg.add_message_type<strategy_params>("strategy_params");
  cfg.add_message_type<strategy_update>("strategy_update");
  cfg.add_message_type<strategy_report>("strategy_report");
  cfg.add_message_type<trading_state_changed>("trading_state_changed");
  cfg.add_message_type<heartbeat>("heartbeat");
  cfg.add_message_type<watermark>("watermark");
}

} // namespace tradewind
