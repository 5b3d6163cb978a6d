#include "actors/risk/trading_states.hpp"

namespace tradewind::risk {

namespace {

constexpr int64_t ms_per_day = 86'400'000;

int64_t utc_day(int64_t ts_ms) {
  // Floor division so times before 1970 still map to whole days.
  auto d = ts_ms / ms_per_day;
  return (ts_ms % ms_per_day < 0) ? d - 1 : d;
}

trading_state lookup(const std::map<std::string, trading_state>& m, const std::string& key) {
  auto i = m.find(key);
  return i == m.end() ? trading_state::active : i->second;
}

void assign(std::map<std::string, trading_state>& m, const std::string& key, trading_state s) {
  if (s == trading_state::active)
    m.erase(key);
  else
    m[key] = s;
}

} // namespace

trading_state target_state(control_action action) {
  switch (action) {
    case control_action::halt: return trading_state::halted;
    case control_action::reduce_only: return trading_state::reducing;
    case control_action::resume: return trading_state::active;
  }
  return trading_state::active;
}

severity severity_of(trading_state state) {
  switch (state) {
    case trading_state::active: return severity::info;
    case trading_state::reducing: return severity::warning;
    case trading_state::halted: return severity::critical;
  }
  return severity::info;
}

control_outcome trading_states::apply(const control_command& cmd) {
  control_outcome out;
  auto next = target_state(cmd.action);
  if (cmd.scope != scope_kind::node && cmd.scope_id.empty()) {
    out.valid = false;
    out.error = "scope " + std::string{to_string(cmd.scope)} + " needs a scope_id";
    return out;
  }
  switch (cmd.scope) {
    case scope_kind::node:
      out.scope_label = "node";
      out.before = node_;
      node_ = next;
      node_by_breaker_ = false; // an operator decision replaces the breaker's
      break;
    case scope_kind::strategy:
      out.scope_label = "strategy " + cmd.scope_id;
      out.before = lookup(strategies_, cmd.scope_id);
      assign(strategies_, cmd.scope_id, next);
      break;
    case scope_kind::symbol:
      out.scope_label = "symbol " + cmd.scope_id;
      out.before = lookup(symbols_, cmd.scope_id);
      assign(symbols_, cmd.scope_id, next);
      break;
  }
  out.after = next;
  return out;
}

std::vector<breaker_event> trading_states::on_snapshot(const account_snapshot& snap,
                                                       const risk_config& cfg) {
  std::vector<breaker_event> events;
  if (snap.drawdown_pct >= cfg.max_drawdown_pct && node_ != trading_state::halted) {
    node_ = trading_state::halted;
    node_by_breaker_ = true;
    events.push_back({breaker_event::drawdown_tripped,
                      "drawdown_pct " + snap.drawdown_pct.to_string() + " >= max_drawdown_pct "
                        + cfg.max_drawdown_pct.to_string()
                        + ": node halted, cancelling all open orders"});
  }
  auto day = utc_day(snap.ts_ms);
  if (daily_loss_active_
      && (day != daily_loss_day_ || snap.day_start_equity != daily_loss_day_start_)) {
    daily_loss_active_ = false;
    events.push_back({breaker_event::daily_loss_reset,
                      "UTC day changed (day_start_equity " + snap.day_start_equity.to_string()
                        + "): daily loss breaker reset"});
  }
  if (!daily_loss_active_ && snap.day_start_equity > fixed{}) {
    auto loss = snap.equity - snap.day_start_equity;
    auto limit = snap.day_start_equity.pct(cfg.daily_loss_limit_pct);
    // A loss that cannot be computed trips the breaker: reduce-only is the safe side.
    bool tripped = !loss || !limit || *loss <= *(-*limit);
    if (tripped) {
      daily_loss_active_ = true;
      daily_loss_day_ = day;
      daily_loss_day_start_ = snap.day_start_equity;
      events.push_back({breaker_event::daily_loss_tripped,
                        "daily loss " + loss.to_string() + " <= -" + limit.to_string()
                          + " (daily_loss_limit_pct " + cfg.daily_loss_limit_pct.to_string()
                          + " of day_start_equity " + snap.day_start_equity.to_string()
                          + "): reduce-only until the UTC day changes"});
    }
  }
  return events;
}

scope_verdict trading_states::effective(const std::string& strategy_id,
                                        const std::string& symbol) const {
  auto strategy = lookup(strategies_, strategy_id);
  auto sym = lookup(symbols_, symbol);
  if (node_ == trading_state::halted)
    return node_by_breaker_
             ? scope_verdict{trading_state::halted, "node halted by drawdown breaker",
                             deny_reason::max_drawdown}
             : scope_verdict{trading_state::halted, "node halted", deny_reason::trading_halted};
  if (strategy == trading_state::halted)
    return {trading_state::halted, "strategy " + strategy_id + " halted", deny_reason::trading_halted};
  if (sym == trading_state::halted)
    return {trading_state::halted, "symbol " + symbol + " halted", deny_reason::trading_halted};
  if (node_ == trading_state::reducing)
    return {trading_state::reducing, "node reducing", deny_reason::reduce_only};
  if (strategy == trading_state::reducing)
    return {trading_state::reducing, "strategy " + strategy_id + " reducing", deny_reason::reduce_only};
  if (sym == trading_state::reducing)
    return {trading_state::reducing, "symbol " + symbol + " reducing", deny_reason::reduce_only};
  if (daily_loss_active_)
    return {trading_state::reducing, "daily loss breaker", deny_reason::daily_loss_limit};
  return {};
}

std::map<std::string, scope_latch> trading_states::latches() const {
  std::map<std::string, scope_latch> out;
  if (node_ != trading_state::active)
    out["node"] = scope_latch{node_, node_by_breaker_ ? "drawdown" : "operator", fixed{}, 0};
  for (const auto& [id, st] : strategies_)
    out["strategy:" + id] = scope_latch{st, "operator", fixed{}, 0};
  for (const auto& [sym, st] : symbols_)
    out["symbol:" + sym] = scope_latch{st, "operator", fixed{}, 0};
  if (daily_loss_active_)
    out["daily_loss"] = scope_latch{trading_state::reducing, "daily_loss", daily_loss_day_start_, daily_loss_day_};
  return out;
}

std::map<scope_key, scope_status> trading_states::statuses() const {
  std::map<scope_key, scope_status> out;
  auto& node = out[{scope_kind::node, ""}];
  if (node_ != trading_state::active)
    node = {node_, node_by_breaker_ ? state_cause::drawdown : state_cause::operator_command};
  else if (daily_loss_active_)
    node = {trading_state::reducing, state_cause::daily_loss};
  for (const auto& [id, st] : strategies_)
    out[{scope_kind::strategy, id}] = {st, state_cause::operator_command};
  for (const auto& [sym, st] : symbols_)
    out[{scope_kind::symbol, sym}] = {st, state_cause::operator_command};
  return out;
}

bool trading_states::restore(const std::string& key, const scope_latch& latch) {
  auto prefixed = [&](const char* prefix, std::string& id) {
    auto n = std::char_traits<char>::length(prefix);
    if (key.compare(0, n, prefix) != 0 || key.size() == n)
      return false;
    id = key.substr(n);
    return true;
  };
  std::string id;
  if (key == "node") {
    if (latch.cause != "operator" && latch.cause != "drawdown")
      return false;
    node_ = latch.state;
    node_by_breaker_ = latch.cause == "drawdown" && latch.state == trading_state::halted;
    return true;
  }
  if (key == "daily_loss") {
    if (latch.cause != "daily_loss")
      return false;
    daily_loss_active_ = latch.state != trading_state::active;
    daily_loss_day_ = latch.utc_day;
    daily_loss_day_start_ = latch.day_start_equity;
    return true;
  }
  if (latch.cause != "operator")
    return false;
  if (prefixed("strategy:", id)) {
    assign(strategies_, id, latch.state);
    return true;
  }
  if (prefixed("symbol:", id)) {
    assign(symbols_, id, latch.state);
    return true;
  }
  return false;
}

trading_state trading_states::state_of(scope_kind scope, const std::string& scope_id) const {
  switch (scope) {
    case scope_kind::node: return node_;
    case scope_kind::strategy: return lookup(strategies_, scope_id);
    case scope_kind::symbol: return lookup(symbols_, scope_id);
  }
  return trading_state::active;
}

} // namespace tradewind::risk
