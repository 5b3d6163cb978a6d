#include "actors/executors/paper_executor.hpp"

#include <algorithm>
#include <deque>
#include <limits>
#include <optional>
#include <variant>

#include "caf/all.hpp"

#include <spdlog/spdlog.h>

#include "actors/core/instrument.hpp"
#include "actors/core/latency_tracker.hpp"
#include "actors/core/unexpected.hpp"
#include "actors/core/bus.hpp"
#include "actors/core/node_context.hpp"
#include "actors/executors/order_book.hpp"
#include "schemas/control.hpp"
#include "schemas/market.hpp"
#include "schemas/trading.hpp"

namespace tradewind {

namespace {

constexpr int64_t minus_infinity = std::numeric_limits<int64_t>::min();

/// A market_data item waiting for the risk watermark (events) or its turn (watermarks).
using market_item = std::variant<bar, trade_tick, watermark>;

/// Lives inside the paper executor actor; the only owner of order state.
struct executor_state {
  std::optional<order_book> book;
  std::shared_ptr<node_context> ctx;
  caf::group executions;
  caf::group alerts;
  std::deque<market_item> pending;      ///< market_data in arrival (= event-time) order
  int64_t risk_wm = minus_infinity;     ///< latest watermark{"risk"}
  bool risk_ended = false;              ///< risk watermark had end_of_stream
  int64_t market_wm = minus_infinity;   ///< last market watermark handled
  bool market_ended = false;            ///< market end_of_stream handled
  bool end_published = false;           ///< final executor watermark sent
  static inline const char* name = "paper_executor";

  /// Every order from a signal at or before the last market watermark is known once the
  /// risk gate has caught up with it; only then may the next market event fill orders.
  bool may_fill() const { return risk_ended || risk_wm >= market_wm; }
};

using executor_actor = caf::stateful_actor<executor_state>;

void publish(executor_actor* self, std::vector<execution_event>&& events) {
  auto& st = self->state;
  for (auto& ev : events) {
    if (auto* f = std::get_if<fill>(&ev)) {
      st.ctx->log->debug("event=fill fill_id={} symbol={} side={} qty={} price={} fee={} ts={}",
                         f->fill_id, f->symbol, to_string(f->order_side), f->qty.to_string(),
                         f->price.to_string(), f->fee.to_string(), f->ts_ms);
      self->send(st.executions, std::move(*f));
      continue;
    }
    auto& o = std::get<order>(ev);
    st.ctx->log->debug("event=order cid={} status={} filled={} avg={} ts={}", o.client_order_id,
                       to_string(o.status), o.filled_qty.to_string(), o.avg_fill_price.to_string(),
                       o.updated_ts_ms);
    const bool rejected = o.status == order_status::rejected;
    if (rejected)
      st.ctx->log->warn("event=order_rejected cid={} reason=\"{}\"", o.client_order_id,
                        o.reject_reason);
    auto text = rejected ? "order " + o.client_order_id + " rejected: " + o.reject_reason : "";
    self->send(st.executions, std::move(o));
    if (rejected)
      self->send(st.alerts, alert{severity::warning, "order_rejected", "paper_executor",
                                  std::move(text), st.ctx->wall_clock_ms()});
  }
}

/// Sends the final executor watermark once the market stream ended and the risk gate
/// declared it will send no more orders.
void maybe_end(executor_actor* self) {
  auto& st = self->state;
  if (st.market_ended && st.risk_ended && !st.end_published) {
    st.end_published = true;
    st.ctx->log->info("event=executor_done ts={} working_orders={}", st.market_wm,
                      st.book->working_count());
    self->send(st.executions, watermark{"executor", st.market_wm, true});
  }
}

void handle_market_watermark(executor_actor* self, const watermark& wm) {
  auto& st = self->state;
  st.market_wm = wm.ts_ms;
  if (wm.end_of_stream) {
    st.market_ended = true;
    if (st.risk_ended) {
      maybe_end(self);
      return;
    }
  }
  self->send(st.executions, watermark{"executor", wm.ts_ms, false});
}

/// Handles queued market items in order until an event must wait for the risk gate.
void drain(executor_actor* self) {
  auto& st = self->state;
  while (!st.pending.empty()) {
    auto& item = st.pending.front();
    if (auto* wm = std::get_if<watermark>(&item)) {
      handle_market_watermark(self, *wm);
    } else {
      if (!st.may_fill())
        break;
      auto ev = std::holds_alternative<bar>(item) ? to_market_event(std::get<bar>(item))
                                                  : to_market_event(std::get<trade_tick>(item));
      publish(self, st.book->on_market(ev));
    }
    st.pending.pop_front();
  }
  maybe_end(self);
}

void enqueue_market(executor_actor* self, market_item item) {
  self->state.pending.push_back(std::move(item));
  drain(self);
}

caf::behavior executor_behavior(executor_actor* self, executor_config cfg,
                                std::shared_ptr<node_context> ctx) {
  auto& init = self->state;
  init.book.emplace(std::move(cfg));
  init.ctx = std::move(ctx);
  log_and_drop_unexpected(self, "executor", init.ctx);
  auto& sys = self->system();
  init.executions = topic_group(sys, topic::executions);
  init.alerts = topic_group(sys, topic::alerts);
  return instrument(self, *init.ctx, "paper_executor", {
    [=](const bar& b) { enqueue_market(self, b); },
    [=](const trade_tick& t) { enqueue_market(self, t); },
    [=](const watermark& wm) {
      auto& st = self->state;
      if (wm.source == "market") {
        enqueue_market(self, wm);
      } else if (wm.source == "risk") {
        st.risk_wm = std::max(st.risk_wm, wm.ts_ms);
        st.risk_ended = st.risk_ended || wm.end_of_stream;
        drain(self);
      }
    },
    [=](const order_intent& intent) {
      auto events = self->state.book->accept(intent, intent.ts_ms);
      for (auto& e : events)
        if (auto o = std::get_if<order>(&e); o && o->status == order_status::accepted)
          self->state.ctx->latency->order_accepted(intent.ts_ms);
      publish(self, std::move(events));
    },
    [=](const risk_decision&) {
      // Decisions are for the store; the approved intent itself follows on the same topic.
    },
    [=](const cancel_request& req) {
      auto& st = self->state;
      st.ctx->log->info("event=cancel_request cid={} reason=\"{}\"",
                        req.client_order_id.empty() ? "*" : req.client_order_id, req.reason);
      publish(self, st.book->cancel(req.client_order_id, req.ts_ms));
    },
  });
}

} // namespace

caf::actor spawn_paper_executor(caf::actor_system& sys, const executor_config& cfg,
                                std::shared_ptr<node_context> ctx) {
  // Joined at spawn time, not in the behavior: the behavior runs later on a worker, and
  // anything published in between would be lost.
  return sys.spawn_in_groups(
    {topic_group(sys, topic::market_data), topic_group(sys, topic::orders)}, executor_behavior,
    cfg, std::move(ctx));
}

} // namespace tradewind
