#include "actors/risk/risk_gate.hpp"

#include <algorithm>
#include <chrono>
#include <deque>
#include <optional>
#include <utility>

#include <spdlog/spdlog.h>

#include "caf/all.hpp"

#include "actors/core/crash_points.hpp"
#include "actors/core/instrument.hpp"
#include "actors/core/unexpected.hpp"
#include "actors/core/bus.hpp"
#include "actors/core/node_context.hpp"
#include "actors/risk/risk_engine.hpp"
#include "actors/storage/store.hpp"
#include "schemas/atoms.hpp"
#include "schemas/control.hpp"
#include "schemas/trading.hpp"

namespace tradewind {

namespace {

/// State of one risk-gate actor: the engine (all rules) and where to publish.
struct risk_gate_state {
  std::optional<risk::risk_engine> engine;
  std::shared_ptr<node_context> ctx;
  std::shared_ptr<carry_over<risk_config>> limits;
  caf::group orders;
  caf::group alerts;
  caf::group control;
  std::unique_ptr<store> outbox;          ///< null: no outbox on this node
  std::optional<risk::gate_output> held;  ///< waiting for a failed outbox write to succeed
  std::deque<order_intent> recovered;     ///< unacknowledged at start, by event time; not re-sent yet
  int64_t retry_backoff_ms = 0;
  static const char* name;
};

const char* risk_gate_state::name = "risk_gate";

using risk_gate_actor = caf::stateful_actor<risk_gate_state>;

void log_decision(node_context& ctx, const risk_decision& d) {
  if (d.approved)
    ctx.log->debug("event=order_approved cid={} strategy={} symbol={} ts={}", d.client_order_id,
                   d.strategy_id, d.symbol, d.ts_ms);
  else
    ctx.log->debug("event=order_denied cid={} strategy={} symbol={} ts={} reason={} detail=\"{}\"",
                   d.client_order_id, d.strategy_id, d.symbol, d.ts_ms, to_string(d.reason),
                   d.detail);
}

/// Publishes `out` in order: orders-topic messages, then alerts, then trading-state changes and
/// limit reports; logs
/// along the way.
void publish(risk_gate_actor* self, risk::gate_output&& out) {
  auto& st = self->state;
  for (auto& w : out.warnings)
    st.ctx->log->warn("event=risk_warning detail=\"{}\"", w);
  for (auto& msg : out.orders) {
    if (auto d = std::get_if<risk_decision>(&msg))
      log_decision(*st.ctx, *d);
    else if (auto c = std::get_if<cancel_request>(&msg))
      st.ctx->log->warn("event=cancel_requested cid=\"{}\" reason=\"{}\"", c->client_order_id,
                        c->reason);
    std::visit([&](auto& x) { self->send(st.orders, std::move(x)); }, msg);
  }
  for (auto& a : out.alerts) {
    st.ctx->log->warn("event={} level={} detail=\"{}\"", a.code, to_string(a.level), a.message);
    self->send(st.alerts, std::move(a));
  }
  for (auto& c : out.changes) {
    c.node = st.ctx->node_name;
    st.ctx->log->info("event=trading_state_changed scope={} scope_id={} state={} cause={} ts={}", to_string(c.scope),
                      c.scope_id, to_string(c.state), to_string(c.cause), c.ts_ms);
    self->send(st.control, std::move(c));
  }
  for (auto& r : out.reports) {
    r.node = st.ctx->node_name;
    st.ctx->log->info("event=risk_limits_report update_id=\"{}\" accepted={} error=\"{}\"", r.update_id,
                      r.accepted, r.error);
    self->send(st.control, std::move(r));
  }
}

/// The approved intents of `out`, each with its decision.
std::vector<approved_order> approved_in(const risk::gate_output& out) {
  std::vector<approved_order> found;
  const risk_decision* last_approval = nullptr;
  for (const auto& msg : out.orders) {
    if (auto d = std::get_if<risk_decision>(&msg))
      last_approval = d->approved ? d : nullptr;
    else if (auto i = std::get_if<order_intent>(&msg); i && last_approval &&
                                                      last_approval->client_order_id == i->client_order_id)
      found.push_back({*last_approval, *i});
  }
  return found;
}

void flush_log(risk_gate_actor* self) {
  self->state.ctx->log->flush();
}

/// Puts the recovered intents whose event time the gate's watermark reached in `out`, just
/// before that watermark: each goes back into the order flow where it was first decided,
/// so a replayed feed sees the same orders at the same times. An intent the engine decided
/// again (same client order id) is already in `out` and is not re-sent.
std::vector<std::string> release_recovered(risk_gate_actor* self, risk::gate_output& out) {
  auto& pending = self->state.recovered;
  std::vector<std::string> released;
  if (pending.empty())
    return released;
  for (const auto& msg : out.orders)
    if (auto i = std::get_if<order_intent>(&msg))
      pending.erase(std::remove_if(pending.begin(), pending.end(),
                                   [&](const order_intent& r) { return r.client_order_id == i->client_order_id; }),
                    pending.end());
  for (size_t at = 0; at < out.orders.size(); ++at) {
    auto wm = std::get_if<watermark>(&out.orders[at]);
    if (!wm)
      continue;
    std::vector<risk::order_flow_msg> due;
    while (!pending.empty() && (wm->end_of_stream || pending.front().ts_ms <= wm->ts_ms)) {
      released.push_back(pending.front().client_order_id);
      due.emplace_back(std::move(pending.front()));
      pending.pop_front();
    }
    out.orders.insert(out.orders.begin() + static_cast<std::ptrdiff_t>(at), due.begin(), due.end());
    at += due.size();
  }
  return released;
}

/// Outbox write, then publication. False (nothing published) when the write failed.
bool record_and_publish(risk_gate_actor* self, risk::gate_output& out) {
  auto& st = self->state;
  auto approved = st.outbox ? approved_in(out) : std::vector<approved_order>{};
  bool states_changed = st.outbox && !out.states.empty();
  if (!approved.empty() || states_changed) {
    // One transaction for the approvals and the trading states they were decided under; a
    // state change alone (halt, breaker trip) is committed before the gate acts on it.
    auto status = st.outbox->write_outbox(approved, states_changed ? out.states : std::vector<trading_state_record>{},
                                          st.ctx->wall_clock_ms());
    if (!status) {
      if (!st.held)
        st.ctx->log->error("event=outbox_write_failed intents={} states={} error=\"{}\"", approved.size(),
                           out.states.size(), status.message());
      else
        st.ctx->log->warn("event=outbox_retry_failed intents={} states={} error=\"{}\"", approved.size(),
                          out.states.size(), status.message());
      return false;
    }
    if (states_changed)
      st.ctx->crash->reached("states_written", [self] { flush_log(self); });
    if (!approved.empty())
      st.ctx->crash->reached("outbox_written", [self] { flush_log(self); });
  }
  auto released = release_recovered(self, out);
  publish(self, std::move(out));
  if (!released.empty()) {
    st.ctx->log->info("event=outbox_resent intents={}", released.size());
    if (auto marked = st.outbox->mark_outbox_sent(released, st.ctx->wall_clock_ms()); !marked)
      st.ctx->log->warn("event=outbox_mark_sent_failed error=\"{}\"", marked.message());
  }
  if (!approved.empty())
    st.ctx->crash->reached("intents_sent", [self] { flush_log(self); });
  return true;
}

void schedule_retry(risk_gate_actor* self) {
  auto& st = self->state;
  st.retry_backoff_ms = st.retry_backoff_ms == 0 ? 100 : std::min<int64_t>(st.retry_backoff_ms * 2, 5'000);
  self->delayed_send(self, std::chrono::milliseconds{st.retry_backoff_ms}, retry_atom::value);
}

void retry_held(risk_gate_actor* self);

/// Keeps `out` and leaves every other message in the mailbox until the outbox accepts it:
/// decisions stay in order and nothing is sent unrecorded.
void hold(risk_gate_actor* self, risk::gate_output&& out) {
  auto& st = self->state;
  st.held = std::move(out);
  self->send(st.alerts, alert{severity::critical, "outbox_write_failed", "risk_gate",
                              "cannot record approved orders or trading states in the store; order flow paused, retrying",
                              st.ctx->wall_clock_ms()});
  self->set_default_handler(caf::skip);
  self->become(caf::keep_behavior, [self](retry_atom) { retry_held(self); });
  schedule_retry(self);
}

void retry_held(risk_gate_actor* self) {
  auto& st = self->state;
  if (!record_and_publish(self, *st.held)) {
    schedule_retry(self);
    return;
  }
  st.held.reset();
  st.retry_backoff_ms = 0;
  st.ctx->log->info("event=outbox_write_recovered");
  self->send(st.alerts, alert{severity::info, "outbox_write_recovered", "risk_gate",
                              "approved orders and trading states are recorded again; order flow resumed",
                              st.ctx->wall_clock_ms()});
  log_and_drop_unexpected(self, "risk", st.ctx);
  self->unbecome();
}

void handle(risk_gate_actor* self, risk::gate_output&& out) {
  if (!record_and_publish(self, out))
    hold(self, std::move(out));
}

/// Opens the outbox and loads, by event time, what no executor acknowledged before this
/// start; release_recovered sends each one again when the flow reaches it.
bool recover_outbox(risk_gate_actor* self, const store_config& cfg) {
  auto& st = self->state;
  auto opened = open_store(cfg);
  if (!opened) {
    st.ctx->log->error("event=outbox_open_failed error=\"{}\"", opened.error());
    self->quit(caf::make_error(caf::sec::runtime_error, opened.error()));
    return false;
  }
  st.outbox = std::move(opened.value());
  auto unacked = st.outbox->unacked_outbox();
  if (!unacked) {
    st.ctx->log->error("event=outbox_read_failed error=\"{}\"", unacked.error());
    self->quit(caf::make_error(caf::sec::runtime_error, unacked.error()));
    return false;
  }
  // The kill switch and breaker latches come back before the first signal.
  auto states = st.outbox->list_trading_states();
  if (!states) {
    st.ctx->log->error("event=trading_states_read_failed error=\"{}\"", states.error());
    self->quit(caf::make_error(caf::sec::runtime_error, states.error()));
    return false;
  }
  if (!states.value().empty()) {
    auto restored = st.engine->restore(std::move(states.value()));
    st.ctx->log->warn("event=trading_states_restored scopes={} not_active={}", st.engine->restoring(),
                      restored.alerts.size());
    publish(self, std::move(restored));
  }
  auto& intents = unacked.value();
  if (intents.empty())
    return true;
  std::stable_sort(intents.begin(), intents.end(),
                   [](const order_intent& a, const order_intent& b) { return a.ts_ms < b.ts_ms; });
  st.recovered.assign(intents.begin(), intents.end());
  auto text = std::to_string(intents.size()) + " approved order(s) were not acknowledged by an executor before "
              "the last stop; each is sent again when the order flow reaches its event time (executors "
              "ignore ids they know)";
  st.ctx->log->warn("event=outbox_recovered intents={}", intents.size());
  self->send(st.alerts, alert{severity::warning, "outbox_replayed", "risk_gate", text, st.ctx->wall_clock_ms()});
  return true;
}

caf::behavior risk_gate(risk_gate_actor* self, std::shared_ptr<carry_over<risk_config>> limits,
                        std::vector<std::string> strategy_ids, std::shared_ptr<node_context> ctx,
                        std::optional<store_config> outbox) {
  auto& st = self->state;
  st.engine.emplace(limits->get(), strategy_ids, ctx->wall_clock_ms);
  st.limits = std::move(limits);
  st.ctx = std::move(ctx);
  log_and_drop_unexpected(self, "risk", st.ctx);
  st.orders = topic_group(self->system(), topic::orders);
  st.alerts = topic_group(self->system(), topic::alerts);
  st.control = topic_group(self->system(), topic::control);
  if (outbox && !recover_outbox(self, *outbox))
    return {};
  risk::gate_output hello;
  hello.reports.push_back(st.engine->report(""));
  publish(self, std::move(hello));
  return instrument(self, *st.ctx, "risk_gate", {
    [=](const signal& s) { handle(self, self->state.engine->on_signal(s)); },
    [=](const watermark& wm) { handle(self, self->state.engine->on_watermark(wm)); },
    [=](const account_snapshot& snap) { handle(self, self->state.engine->on_snapshot(snap)); },
    [=](const position_update&) {
      // The snapshot that follows carries every position; nothing to do per update.
    },
    [=](const control_command& cmd) {
      self->state.ctx->log->warn("event=control_command action={} scope={} scope_id={} by={}",
                                 to_string(cmd.action), to_string(cmd.scope), cmd.scope_id,
                                 cmd.issued_by);
      handle(self, self->state.engine->on_control(cmd));
    },
    [=](const order_intent& manual) {
      handle(self, self->state.engine->on_manual_intent(manual));
    },
    [=](const risk_limits_update& update) {
      auto& st = self->state;
      st.ctx->log->warn("event=risk_limits_update update_id=\"{}\" by={}", update.update_id, update.issued_by);
      auto out = st.engine->on_limits_update(update);
      st.limits->set(st.engine->limits());
      handle(self, std::move(out));
    },
    // The rest of the control topic is for others (its own reports come back here too).
    [](const risk_limits_report&) {},
    [](const trading_state_changed&) {},
    [](const strategy_update&) {},
    [](const strategy_report&) {},
  });
}

} // namespace

bool durable_store(const store_config& cfg) {
  return cfg.url != "sqlite::memory:";
}

caf::actor spawn_risk_gate(caf::actor_system& sys, std::shared_ptr<carry_over<risk_config>> limits,
                           std::vector<std::string> strategy_ids, std::shared_ptr<node_context> ctx,
                           std::optional<store_config> outbox) {
  // spawn_in_groups joins before spawn returns, so nothing published after this call is
  // missed (a join inside the behavior would only happen once the actor first runs).
  auto groups = {topic_group(sys, topic::signals), topic_group(sys, topic::account),
                 topic_group(sys, topic::control)};
  if (outbox && !durable_store(*outbox))
    outbox.reset();
  return sys.spawn_in_groups(groups, risk_gate, std::move(limits), std::move(strategy_ids), std::move(ctx),
                             std::move(outbox));
}

} // namespace tradewind
