#include "actors/risk/risk_engine.hpp"

#include <algorithm>
#include <limits>

#include "actors/risk/sizing.hpp"
#include "config/validate.hpp"
#include "schemas/json/codec.hpp"

namespace tradewind::risk {

namespace {

bool in_scope(const order& o, const control_command& cmd) {
  switch (cmd.scope) {
    case scope_kind::node: return true;
    case scope_kind::strategy: return o.strategy_id == cmd.scope_id;
    case scope_kind::symbol: return o.symbol == cmd.scope_id;
  }
  return false;
}

scope_latch latch_of(const trading_state_record& r) {
  return scope_latch{r.state, r.cause, r.day_start_equity, r.utc_day};
}

/// The control command whose halt cancels the orders of scope `key` ("node", "strategy:<id>", …).
std::optional<control_command> halt_of(const std::string& key) {
  control_command cmd;
  cmd.action = control_action::halt;
  if (key == "node")
    return cmd;
  for (auto [prefix, kind] : {std::pair{"strategy:", scope_kind::strategy}, std::pair{"symbol:", scope_kind::symbol}}) {
    std::string p = prefix;
    if (key.compare(0, p.size(), p) == 0) {
      cmd.scope = kind;
      cmd.scope_id = key.substr(p.size());
      return cmd;
    }
  }
  return std::nullopt;
}

} // namespace

risk_engine::risk_engine(risk_config cfg, const std::vector<std::string>& strategy_ids,
                         std::function<int64_t()> wall_clock_ms)
  : cfg_(std::move(cfg)), wall_clock_ms_(std::move(wall_clock_ms)), queue_(strategy_ids) {
  // nop
}

gate_output risk_engine::on_signal(signal s) {
  gate_output out;
  // A strategy sends its signals before the watermark that passes them, so a signal at or
  // below the decided watermark was decided already: a replay (another node took over the
  // strategy's role and re-sent its history). Deciding it again would trade twice.
  if (published_ != decision_queue::no_watermark && s.ts_ms <= published_) {
    out.warnings.push_back("replayed signal " + client_order_id_for(s) + " dropped: ts "
                           + std::to_string(s.ts_ms) + " <= risk watermark " + std::to_string(published_));
    return out;
  }
  auto cid = client_order_id_for(s);
  if (!queue_.push(std::move(s)))
    out.warnings.push_back("replayed signal " + cid + " dropped: the same signal is waiting");
  advance(out);
  return out;
}

gate_output risk_engine::on_manual_intent(order_intent intent) {
  gate_output out;
  queue_.push(std::move(intent));
  advance(out);
  return out;
}

gate_output risk_engine::on_watermark(const watermark& wm) {
  gate_output out;
  if (queue_.on_watermark(wm))
    advance(out);
  return out;
}

gate_output risk_engine::on_snapshot(account_snapshot snap) {
  gate_output out;
  fold_restored(snap.ts_ms, out);
  auto latched = states_.latches();
  // The executor has reported every order decided at or before the snapshot's event
  // time, so the snapshot's open orders (or positions) now account for them.
  auto seen = [&](const order& p) {
    if (snap.ts_ms >= p.created_ts_ms)
      return true;
    return std::any_of(snap.open_orders.begin(), snap.open_orders.end(),
                       [&](const order& o) { return o.client_order_id == p.client_order_id; });
  };
  pending_.erase(std::remove_if(pending_.begin(), pending_.end(), seen), pending_.end());
  auto shown = states_.statuses();
  for (auto& ev : states_.on_snapshot(snap, cfg_)) {
    switch (ev.kind) {
      case breaker_event::drawdown_tripped:
        out.orders.emplace_back(cancel_request{"", ev.message, snap.ts_ms});
        out.alerts.push_back(make_alert(severity::critical, "breaker_tripped", ev.message));
        break;
      case breaker_event::daily_loss_tripped:
        out.alerts.push_back(make_alert(severity::warning, "breaker_tripped", ev.message));
        break;
      case breaker_event::daily_loss_reset:
        out.alerts.push_back(make_alert(severity::info, "breaker_reset", ev.message));
        break;
    }
  }
  if (!out.alerts.empty()) {
    std::string why;
    for (const auto& a : out.alerts)
      why += (why.empty() ? "" : "; ") + a.message;
    record_changes(latched, snap.ts_ms, "snapshot at " + std::to_string(snap.ts_ms) + ": " + why, out);
    // Only the daily-loss reset lifts a state here; the drawdown halt waits for an operator.
    announce(shown, snap.ts_ms, state_cause::daily_loss, why, out);
  }
  snapshot_ = std::move(snap);
  return out;
}

gate_output risk_engine::on_control(const control_command& cmd) {
  gate_output out;
  // An operator acts on the state as it is now: everything restored is in effect first.
  fold_restored(std::numeric_limits<int64_t>::max(), out);
  auto latched = states_.latches();
  auto shown = states_.statuses();
  auto outcome = states_.apply(cmd);
  if (!outcome.valid) {
    out.warnings.push_back("control command ignored: " + outcome.error);
    return out;
  }
  auto what = std::string{to_string(cmd.action)} + " " + outcome.scope_label;
  if (!cmd.issued_by.empty())
    what += " by " + cmd.issued_by;
  if (!cmd.reason.empty())
    what += ": " + cmd.reason;
  if (cmd.action == control_action::halt)
    cancel_scope(cmd, what, out);
  // Decisions after this one all have an event time above the published watermark. A
  // command is "now": it also outdates every restored state it acted on, even while a
  // replay has not reached their event time yet.
  record_changes(latched, std::max(published_, restored_until_), what, out);
  announce(shown, event_now(cmd.ts_ms), state_cause::operator_command, what, out);
  if (outcome.changed())
    out.alerts.push_back(make_alert(severity_of(outcome.after), "trading_state_changed",
                                    outcome.scope_label + " " + std::string{to_string(outcome.before)}
                                      + " -> " + std::string{to_string(outcome.after)} + " ("
                                      + what + ")"));
  return out;
}

gate_output risk_engine::on_limits_update(const risk_limits_update& update) {
  gate_output out;
  auto by = update.issued_by.empty() ? std::string{} : " by " + update.issued_by;
  auto why = update.reason.empty() ? std::string{} : " (" + update.reason + ")";
  auto errors = validate_risk_limits(update.limits, "");
  if (!errors.empty()) {
    std::string error;
    for (const auto& e : errors)
      error += (error.empty() ? "" : "; ") + e.message();
    auto r = report(update.update_id);
    r.accepted = false;
    r.error = error;
    out.reports.push_back(std::move(r));
    out.alerts.push_back(make_alert(severity::warning, "risk_limits_rejected",
                                    "risk limits update " + update.update_id + by + " rejected: " + error));
    return out;
  }
  auto changes = json::describe_changes(cfg_, update.limits);
  cfg_ = update.limits;
  out.reports.push_back(report(update.update_id));
  if (!changes.empty())
    out.alerts.push_back(make_alert(severity::info, "risk_limits_changed", "risk limits changed" + by + why + ": " + changes));
  return out;
}

risk_limits_report risk_engine::report(std::string update_id) const {
  risk_limits_report r;
  r.update_id = std::move(update_id);
  r.limits = cfg_;
  r.ts_ms = wall_clock_ms_ ? wall_clock_ms_() : 0;
  return r;
}

void risk_engine::cancel_scope(const control_command& cmd, const std::string& reason,
                               gate_output& out) {
  auto ts = event_now(cmd.ts_ms);
  if (cmd.scope == scope_kind::node) {
    out.orders.emplace_back(cancel_request{"", reason, ts});
    return;
  }
  for (auto& o : open_orders())
    if (in_scope(o, cmd))
      out.orders.emplace_back(cancel_request{o.client_order_id, reason, ts});
}

void risk_engine::advance(gate_output& out) {
  auto ready = queue_.pop_ready();
  int64_t last_ts = decision_queue::no_watermark;
  for (auto& in : ready) {
    last_ts = std::max(last_ts, std::visit([](auto& x) { return x.ts_ms; }, in));
    decide(in, out);
  }
  if (ended_)
    return;
  auto w = queue_.current();
  if (queue_.ended()) {
    ended_ = true;
    out.orders.emplace_back(watermark{source, std::max({w, published_, last_ts}), true});
    published_ = std::max({w, published_, last_ts});
  } else if (w != decision_queue::no_watermark && w > published_) {
    published_ = w;
    out.orders.emplace_back(watermark{source, w, false});
  }
}

gate_output risk_engine::restore(std::vector<trading_state_record> records) {
  gate_output out;
  std::stable_sort(records.begin(), records.end(), [](const trading_state_record& a, const trading_state_record& b) {
    return a.since_ts_ms < b.since_ts_ms;
  });
  for (auto& r : records) {
    trading_states probe;
    if (!probe.restore(r.scope, latch_of(r))) {
      out.warnings.push_back("stored trading state of scope '" + r.scope + "' (cause '" + r.cause +
                             "') ignored: unknown scope or cause");
      continue;
    }
    if (r.state != trading_state::active) {
      auto level = r.state == trading_state::halted ? severity::critical : severity::warning;
      out.alerts.push_back(make_alert(level, "trading_state_restored",
                                      r.scope + " " + std::string{to_string(r.state)} + " (" + r.cause +
                                        ") restored from the store after a restart; in effect from event time " +
                                        std::to_string(r.since_ts_ms) + ": " + r.detail));
    }
    restored_.push_back(std::move(r));
  }
  // Announced at once, so a bridge shows them from the start (also one on another node); each
  // is announced again by fold_restored if it changes what is in effect when it takes effect.
  trading_states restored;
  for (const auto& r : restored_)
    restored.restore(r.scope, latch_of(r));
  for (const auto& [key, status] : restored.statuses()) {
    if (status.state == trading_state::active)
      continue;
    trading_state_changed m;
    m.scope = key.first;
    m.scope_id = key.second;
    m.state = status.state;
    m.cause = status.cause;
    auto name = key.first == scope_kind::node ? std::string{"node"} : std::string{to_string(key.first)} + ":" + key.second;
    for (const auto& r : restored_)
      if (r.scope == name || (key.first == scope_kind::node && r.scope == "daily_loss"))
        m.ts_ms = std::max(m.ts_ms, r.since_ts_ms);
    m.detail = "restored from the store after a restart";
    out.changes.push_back(std::move(m));
  }
  return out;
}

void risk_engine::fold_restored(int64_t ts, gate_output& out) {
  while (!restored_.empty() && restored_.front().since_ts_ms < ts) {
    auto r = std::move(restored_.front());
    restored_.pop_front();
    restored_until_ = std::max(restored_until_, r.since_ts_ms);
    auto before = states_.latches();
    auto shown = states_.statuses();
    states_.restore(r.scope, latch_of(r));
    auto now = states_.latches();
    announce(shown, r.since_ts_ms, enum_from_string<state_cause>(r.cause).value_or(state_cause::operator_command),
             r.scope + " " + std::string{to_string(r.state)} + " (" + r.cause + ") restored from the store: " + r.detail,
             out);
    auto was = before.find(r.scope);
    auto is = now.find(r.scope);
    bool newly_halted = is != now.end() && is->second.state == trading_state::halted &&
                        (was == before.end() || was->second.state != trading_state::halted);
    auto cmd = halt_of(r.scope);
    if (newly_halted && cmd) {
      cmd->ts_ms = r.since_ts_ms;
      cancel_scope(*cmd, r.scope + " halted (" + r.cause + ", restored): " + r.detail, out);
    }
  }
}

void risk_engine::record_changes(const std::map<std::string, scope_latch>& before, int64_t since_ts,
                                 const std::string& detail, gate_output& out) const {
  auto after = states_.latches();
  auto record = [&](const std::string& key, const scope_latch& l) {
    trading_state_record r;
    r.scope = key;
    r.state = l.state;
    r.cause = l.cause;
    r.since_ts_ms = since_ts;
    r.day_start_equity = l.day_start_equity;
    r.utc_day = l.utc_day;
    r.detail = detail;
    out.states.push_back(std::move(r));
  };
  for (const auto& [key, l] : after) {
    auto it = before.find(key);
    if (it == before.end() || it->second != l)
      record(key, l);
  }
  for (const auto& [key, l] : before) {
    if (after.count(key))
      continue;
    auto back = l;
    back.state = trading_state::active; // the scope's row stays, saying active
    record(key, back);
  }
}

void risk_engine::announce(const std::map<scope_key, scope_status>& before, int64_t ts, state_cause lifted_by,
                           const std::string& detail, gate_output& out) const {
  auto emit = [&](const scope_key& key, const scope_status& status) {
    trading_state_changed m;
    m.scope = key.first;
    m.scope_id = key.second;
    m.state = status.state;
    m.cause = status.state == trading_state::active ? lifted_by : status.cause;
    m.ts_ms = ts;
    m.detail = detail;
    out.changes.push_back(std::move(m));
  };
  auto after = states_.statuses();
  for (const auto& [key, status] : after) {
    auto it = before.find(key);
    if (status != (it == before.end() ? scope_status{} : it->second))
      emit(key, status);
  }
  for (const auto& [key, status] : before)
    if (!after.count(key) && status.state != trading_state::active)
      emit(key, scope_status{});
}

void risk_engine::decide(queued_input& in, gate_output& out) {
  fold_restored(std::visit([](auto& x) { return x.ts_ms; }, in), out);
  if (auto s = std::get_if<signal>(&in)) {
    // Each strategy sizes against its own share, so strategies sharing a symbol do not
    // undo each other's orders; the limits below still see the whole symbol.
    auto pos = snapshot_ ? strategy_position_of(*snapshot_, s->strategy_id, s->symbol) : fixed{};
    auto open_net = strategy_open_net_of(open_orders(), s->strategy_id, s->symbol);
    auto sized = size_signal(*s, pos, open_net);
    if (!sized.error.empty()) // no order at all rather than one sized from a wrapped number
      out.alerts.push_back(make_alert(severity::warning, "signal_unsizable", sized.error));
    else if (sized.intent)
      decide_intent(*sized.intent, out);
    return;
  }
  decide_intent(std::get<order_intent>(in), out);
}

void risk_engine::decide_intent(const order_intent& intent, gate_output& out) {
  auto decision = check_intent(intent, context_for(intent), cfg_);
  decided_.insert(intent.client_order_id);
  bool approved = decision.approved;
  out.orders.emplace_back(std::move(decision));
  if (!approved)
    return;
  pending_.push_back(order_from_intent(intent, intent.ts_ms));
  approvals_.push_back(intent.ts_ms);
  out.orders.emplace_back(intent);
}

check_context risk_engine::context_for(const order_intent& intent) {
  // Approvals older than the window can no longer count for any later decision.
  auto horizon = intent.ts_ms - cfg_.rate_window_ms;
  while (!approvals_.empty() && approvals_.front() <= horizon)
    approvals_.pop_front();
  auto open = open_orders();
  check_context ctx;
  ctx.state = states_.effective(intent.strategy_id, intent.symbol);
  ctx.duplicate = decided_.count(intent.client_order_id) > 0;
  if (snapshot_) {
    ctx.last_price = last_price_of(*snapshot_, intent.symbol);
    ctx.position = position_of(*snapshot_, intent.symbol);
    ctx.equity = snapshot_->equity;
  }
  ctx.open_net = open_net_of(open, intent.symbol);
  ctx.open_orders = static_cast<int>(open.size());
  ctx.approved_in_window = static_cast<int>(
    std::count_if(approvals_.begin(), approvals_.end(),
                  [&](int64_t ts) { return ts > horizon && ts <= intent.ts_ms; }));
  return ctx;
}

std::vector<order> risk_engine::open_orders() const {
  std::vector<order> open;
  if (snapshot_)
    open = snapshot_->open_orders;
  for (auto& p : pending_) {
    bool known = std::any_of(open.begin(), open.end(), [&](const order& o) {
      return o.client_order_id == p.client_order_id;
    });
    if (!known)
      open.push_back(p);
  }
  return open;
}

int64_t risk_engine::event_now(int64_t fallback) const {
  auto now = published_;
  if (snapshot_)
    now = std::max(now, snapshot_->ts_ms);
  return now == decision_queue::no_watermark ? fallback : now;
}

alert risk_engine::make_alert(severity level, std::string code, std::string message) const {
  alert a;
  a.level = level;
  a.code = std::move(code);
  a.source = source;
  a.message = std::move(message);
  a.ts_ms = wall_clock_ms_ ? wall_clock_ms_() : 0;
  return a;
}

} // namespace tradewind::risk
