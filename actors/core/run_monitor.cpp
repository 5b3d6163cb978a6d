#include "actors/core/run_monitor.hpp"

#include "caf/all.hpp"

#include "actors/core/bus.hpp"
#include "schemas/atoms.hpp"

// The summary is only ever requested from inside this process.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tradewind::run_summary)

namespace tradewind {

namespace {

struct monitor_state {
  run_summary summary;
  run_complete_handler on_complete;
  static inline const char* name = "run_monitor";
};

using monitor_actor = caf::stateful_actor<monitor_state>;

caf::behavior monitor_behavior(monitor_actor* self, run_complete_handler on_complete) {
  self->state.on_complete = std::move(on_complete);
  auto& s = self->state.summary;
  return {
    [&s](const bar& x) { s.on(x); },
    [&s](const trade_tick& x) { s.on(x); },
    [&s](const signal& x) { s.on(x); },
    [&s](const risk_decision& x) { s.on(x); },
    [&s](const order& x) { s.on(x); },
    [&s](const fill& x) { s.on(x); },
    [&s](const account_snapshot& x) { s.on(x); },
    [&s](const alert& x) { s.on(x); },
    [](const order_intent&) {},
    [](const cancel_request&) {},
    [](const position_update&) {},
    [](const control_command&) {},
    [](const risk_limits_update&) {},
    [](const risk_limits_report&) {},
    [](const trading_state_changed&) {},
    [](const strategy_update&) {},
    [](const strategy_report&) {},
    [=](const watermark& wm) {
      auto& st = self->state;
      if (wm.source == "account" && wm.end_of_stream && !st.summary.complete) {
        st.summary.complete = true;
        if (st.on_complete)
          st.on_complete(st.summary);
      }
    },
    [=](stats_atom) { return self->state.summary; },
  };
}

} // namespace

caf::actor spawn_run_monitor(caf::actor_system& sys, run_complete_handler on_complete) {
  auto g = [&](topic t) { return topic_group(sys, t); };
  static_assert(all_topics.size() == 7, "subscribe the monitor to every topic");
  return sys.spawn_in_groups({g(topic::market_data), g(topic::signals), g(topic::orders),
                              g(topic::executions), g(topic::account), g(topic::alerts),
                              g(topic::control)},
                             monitor_behavior, std::move(on_complete));
}

} // namespace tradewind
