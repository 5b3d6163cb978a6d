#include "bridge/rest/bridge_state.hpp"

#include <algorithm>

namespace tradewind::rest {

namespace {

template <class T>
void push_bounded(std::deque<T>& q, T value, size_t limit) {
  q.push_back(std::move(value));
  while (q.size() > limit)
    q.pop_front();
}

template <class T>
std::vector<T> to_vector(const std::deque<T>& q) {
  return {q.begin(), q.end()};
}

} // namespace

bridge_state::bridge_state(risk_config risk, state_limits limits)
  : risk_(std::move(risk)), limits_(limits) {
  // nop
}

void bridge_state::on_bar(const bar& b) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto& q = bars_[b.symbol];
  if (!q.empty() && q.back().open_time_ms == b.open_time_ms)
    q.back() = b; // a re-published bar replaces the previous one
  else
    push_bounded(q, b, limits_.bars_per_symbol);
}

void bridge_state::on_tick(const trade_tick& t) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto it = positions_.find(t.symbol);
  if (it != positions_.end())
    it->second.last_price = t.price;
}

void bridge_state::on_order(const order& o) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto [it, fresh] = orders_.try_emplace(o.client_order_id, o);
  if (!fresh) {
    it->second = o;
    return;
  }
  order_ids_.push_back(o.client_order_id);
  while (order_ids_.size() > limits_.orders) {
    orders_.erase(order_ids_.front());
    order_ids_.pop_front();
  }
}

void bridge_state::on_fill(const fill& f) {
  std::lock_guard<std::mutex> guard{mtx_};
  push_bounded(fills_, f, limits_.fills);
}

void bridge_state::on_decision(const risk_decision& d) {
  std::lock_guard<std::mutex> guard{mtx_};
  push_bounded(decisions_, d, limits_.decisions);
}

void bridge_state::on_position(const position_update& p) {
  std::lock_guard<std::mutex> guard{mtx_};
  positions_[p.symbol] = p;
}

void bridge_state::on_snapshot(const account_snapshot& s) {
  std::lock_guard<std::mutex> guard{mtx_};
  for (const auto& p : s.positions)
    positions_[p.symbol] = p;
  if (equity_.empty() || equity_.back().ts_ms != s.ts_ms)
    push_bounded(equity_, equity_point{s.ts_ms, s.equity}, limits_.equity_points);
  else
    equity_.back().equity = s.equity;
  snapshot_ = s;
}

void bridge_state::on_alert(const alert& a) {
  std::lock_guard<std::mutex> guard{mtx_};
  push_bounded(alerts_, a, limits_.alerts);
}

std::vector<scope_state> bridge_state::on_state(const trading_state_changed& c) {
  std::lock_guard<std::mutex> guard{mtx_};
  return set_locked(c.scope, c.scope == scope_kind::node ? std::string{} : c.scope_id, c.state);
}

std::vector<scope_state> bridge_state::restore(const std::vector<trading_state_record>& records) {
  std::lock_guard<std::mutex> guard{mtx_};
  std::vector<scope_state> changed;
  auto node = trading_state::active;
  bool daily_loss = false;
  for (const auto& r : records) {
    std::vector<scope_state> one;
    if (r.scope == "node")
      node = r.state;
    else if (r.scope == "daily_loss")
      daily_loss = r.state != trading_state::active;
    for (auto [prefix, kind] : {std::pair{"strategy:", scope_kind::strategy}, std::pair{"symbol:", scope_kind::symbol}})
      if (r.scope.size() > std::string{prefix}.size() && r.scope.rfind(prefix, 0) == 0)
        one = set_locked(kind, r.scope.substr(std::string{prefix}.size()), r.state);
    changed.insert(changed.end(), one.begin(), one.end());
  }
  auto shown = node == trading_state::active && daily_loss ? trading_state::reducing : node;
  if (shown != trading_state::active) {
    auto one = set_locked(scope_kind::node, "", shown);
    changed.insert(changed.begin(), one.begin(), one.end());
  }
  return changed;
}

std::vector<scope_state> bridge_state::set_locked(scope_kind scope, const std::string& scope_id, trading_state state) {
  auto key = std::pair{scope, scope_id};
  auto it = states_.find(key);
  auto before = it == states_.end() ? trading_state::active : it->second;
  bool fresh = it == states_.end() && scope != scope_kind::node;
  states_[key] = state;
  if (!fresh && before == state)
    return {};
  return {scope_state{scope, scope_id, state}};
}

void bridge_state::on_watermark(const watermark& wm, int64_t wall_ms) {
  std::lock_guard<std::mutex> guard{mtx_};
  progress_.last_event_wall_ms = wall_ms;
  if (wm.source == "market") {
    progress_.market_ms = std::max(progress_.market_ms, wm.ts_ms);
    progress_.market_ended = progress_.market_ended || wm.end_of_stream;
  } else if (wm.source == "account") {
    progress_.account_ms = std::max(progress_.account_ms, wm.ts_ms);
  } else if (wm.source == "risk") {
    progress_.risk_ms = std::max(progress_.risk_ms, wm.ts_ms);
  } else if (wm.source == "executor") {
    progress_.executor_ms = std::max(progress_.executor_ms, wm.ts_ms);
  }
}

void bridge_state::touch(int64_t wall_ms) {
  std::lock_guard<std::mutex> guard{mtx_};
  progress_.last_event_wall_ms = wall_ms;
}

void bridge_state::on_risk_limits(const risk_limits_report& r) {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    if (r.accepted)
      risk_ = r.limits;
    record_outcome_locked(r.update_id, r.accepted, r.error);
  }
  reported_.notify_all();
}

void bridge_state::on_strategy(const strategy_report& r) {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    if (r.accepted)
      strategy_params_[r.strategy_id] = r.params;
    record_outcome_locked(r.update_id, r.accepted, r.error);
  }
  reported_.notify_all();
}

void bridge_state::record_outcome_locked(const std::string& update_id, bool accepted, const std::string& error) {
  // Several strategy instances may answer one update: the first answer stands.
  if (update_id.empty() || !outcomes_.emplace(update_id, update_outcome{accepted, error}).second)
    return;
  outcome_ids_.push_back(update_id);
  while (outcome_ids_.size() > 256) {
    outcomes_.erase(outcome_ids_.front());
    outcome_ids_.pop_front();
  }
}

risk_config bridge_state::current_limits() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return risk_;
}

std::optional<strategy_params> bridge_state::reported_params(const std::string& id) const {
  std::lock_guard<std::mutex> guard{mtx_};
  auto it = strategy_params_.find(id);
  if (it == strategy_params_.end())
    return std::nullopt;
  return it->second;
}

std::optional<update_outcome> bridge_state::wait_for_update(const std::string& update_id,
                                                            std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock{mtx_};
  std::optional<update_outcome> out;
  reported_.wait_for(lock, timeout, [&] {
    auto it = outcomes_.find(update_id);
    if (it != outcomes_.end())
      out = it->second;
    return out.has_value();
  });
  return out;
}

std::vector<scope_state> bridge_state::scopes_locked() const {
  std::vector<scope_state> out;
  auto node = states_.find({scope_kind::node, ""});
  out.push_back({scope_kind::node, "", node == states_.end() ? trading_state::active : node->second});
  for (const auto& [key, state] : states_)
    if (key.first != scope_kind::node)
      out.push_back({key.first, key.second, state});
  return out;
}

std::optional<account_snapshot> bridge_state::snapshot() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return snapshot_;
}

std::vector<position_update> bridge_state::positions() const {
  std::lock_guard<std::mutex> guard{mtx_};
  std::vector<position_update> out;
  for (const auto& [sym, p] : positions_)
    out.push_back(p);
  return out;
}

std::vector<order> bridge_state::orders() const {
  std::lock_guard<std::mutex> guard{mtx_};
  std::vector<order> out;
  for (const auto& id : order_ids_)
    out.push_back(orders_.at(id));
  std::stable_sort(out.begin(), out.end(), [](const order& a, const order& b) {
    return a.created_ts_ms < b.created_ts_ms;
  });
  return out;
}

std::optional<order> bridge_state::find_order(const std::string& id) const {
  std::lock_guard<std::mutex> guard{mtx_};
  auto it = orders_.find(id);
  if (it == orders_.end())
    return std::nullopt;
  return it->second;
}

std::vector<fill> bridge_state::fills() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return to_vector(fills_);
}

std::vector<risk_decision> bridge_state::decisions() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return to_vector(decisions_);
}

std::optional<risk_decision> bridge_state::find_decision(const std::string& id) const {
  std::lock_guard<std::mutex> guard{mtx_};
  for (auto it = decisions_.rbegin(); it != decisions_.rend(); ++it)
    if (it->client_order_id == id)
      return *it;
  return std::nullopt;
}

std::vector<alert> bridge_state::alerts() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return to_vector(alerts_);
}

std::vector<bar> bridge_state::bars(const std::string& symbol) const {
  std::lock_guard<std::mutex> guard{mtx_};
  auto it = bars_.find(symbol);
  if (it == bars_.end())
    return {};
  return to_vector(it->second);
}

std::vector<std::string> bridge_state::symbols() const {
  std::lock_guard<std::mutex> guard{mtx_};
  std::set<std::string> out;
  for (const auto& [sym, q] : bars_)
    out.insert(sym);
  for (const auto& [sym, p] : positions_)
    out.insert(sym);
  return {out.begin(), out.end()};
}

std::vector<equity_point> bridge_state::equity_curve() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return to_vector(equity_);
}

std::vector<scope_state> bridge_state::trading() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return scopes_locked();
}

pipeline_progress bridge_state::progress() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return progress_;
}

} // namespace tradewind::rest
