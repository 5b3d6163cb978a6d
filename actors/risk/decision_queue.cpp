#include "actors/risk/decision_queue.hpp"

#include <algorithm>

namespace tradewind::risk {

namespace {

constexpr std::string_view strategy_prefix = "strategy:";

} // namespace

decision_queue::decision_queue(const std::vector<std::string>& strategy_ids) {
  for (auto& id : strategy_ids)
    strategies_.emplace(id, source_state{});
}

bool decision_queue::push(signal s) {
  key k{s.ts_ms, s.strategy_id, s.symbol, s.seq, std::string{}, 0};
  return items_.emplace(std::move(k), std::move(s)).second;
}

void decision_queue::push(order_intent manual) {
  key k{manual.ts_ms, manual.strategy_id, manual.symbol, 0, manual.client_order_id, arrivals_++};
  items_.emplace(std::move(k), std::move(manual));
}

bool decision_queue::on_watermark(const watermark& wm) {
  source_state* src = nullptr;
  if (wm.source == account_source) {
    src = &account_;
  } else if (wm.source.compare(0, strategy_prefix.size(), strategy_prefix) == 0) {
    auto i = strategies_.find(wm.source.substr(strategy_prefix.size()));
    if (i != strategies_.end())
      src = &i->second;
  }
  if (src == nullptr)
    return false;
  src->ts = std::max(src->ts, wm.ts_ms);
  src->ended = src->ended || wm.end_of_stream;
  return true;
}

int64_t decision_queue::current() const {
  auto w = account_.ts;
  for (auto& [id, st] : strategies_)
    w = std::min(w, st.ts);
  return w;
}

bool decision_queue::ended() const {
  // The account never ends before the risk gate does (executor and portfolio wait for the
  // risk end), so the end is: every strategy ended and the account caught up with them.
  if (strategies_.empty())
    return account_.ended;
  int64_t last = no_watermark;
  for (auto& [id, st] : strategies_) {
    if (!st.ended)
      return false;
    last = std::max(last, st.ts);
  }
  return account_.ended || (account_.ts != no_watermark && account_.ts >= last);
}

std::vector<queued_input> decision_queue::pop_ready() {
  std::vector<queued_input> out;
  auto w = current();
  bool all = ended();
  auto i = items_.begin();
  while (i != items_.end() && (all || (w != no_watermark && std::get<0>(i->first) <= w))) {
    out.push_back(std::move(i->second));
    i = items_.erase(i);
  }
  return out;
}

} // namespace tradewind::risk
