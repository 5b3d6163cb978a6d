#include "observer.hpp"

#include "caf/all.hpp"

#include "actors/core/bus.hpp"

namespace tradewind::test {

namespace {

caf::behavior observer(caf::event_based_actor* self, std::shared_ptr<observer_log> log) {
  auto market_event = [log] {
    std::function<void(size_t)> callback;
    size_t n = 0;
    {
      // A test may install the callback while the run is going.
      std::lock_guard<std::mutex> g{log->mtx};
      n = log->rec.bars.size() + log->rec.ticks.size();
      callback = log->on_market_event;
    }
    if (callback)
      callback(n);
  };
  return {
    [=](const bar& x) {
      {
        std::lock_guard<std::mutex> g{log->mtx};
        log->rec.bars.push_back(x);
      }
      market_event();
    },
    [=](const trade_tick& x) {
      {
        std::lock_guard<std::mutex> g{log->mtx};
        log->rec.ticks.push_back(x);
      }
      market_event();
    },
    [=](const risk_decision& x) {
      std::lock_guard<std::mutex> g{log->mtx};
      log->rec.decisions.push_back(x);
    },
    [=](const order_intent& x) {
      std::lock_guard<std::mutex> g{log->mtx};
      log->rec.approved.push_back(x);
    },
    [=](const order& x) {
      std::lock_guard<std::mutex> g{log->mtx};
      log->rec.order_updates.push_back(x);
    },
    [=](const fill& x) {
      std::lock_guard<std::mutex> g{log->mtx};
      log->rec.fills.push_back(x);
    },
    [=](const account_snapshot& x) {
      std::lock_guard<std::mutex> g{log->mtx};
      log->rec.snapshots[x.ts_ms] = x;
    },
    [=](const alert& x) {
      std::lock_guard<std::mutex> g{log->mtx};
      log->rec.alerts.push_back(x);
    },
    [=](const cancel_request& x) {
      std::lock_guard<std::mutex> g{log->mtx};
      log->rec.cancels.push_back(x);
    },
    [](const signal&) {},
    [](const position_update&) {},
    [](const watermark&) {},
    [](const control_command&) {},
  };
}

} // namespace

caf::actor spawn_observer(caf::actor_system& sys, std::shared_ptr<observer_log> log) {
  auto g = [&](topic t) { return topic_group(sys, t); };
  return sys.spawn_in_groups({g(topic::market_data), g(topic::orders), g(topic::executions),
                              g(topic::account), g(topic::alerts)},
                             observer, std::move(log));
}

} // namespace tradewind::test
