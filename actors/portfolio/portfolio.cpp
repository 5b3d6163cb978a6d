#include "actors/portfolio/portfolio.hpp"

#include <algorithm>
#include <deque>
#include <limits>
#include <optional>
#include <variant>

#include "caf/all.hpp"

#include <spdlog/spdlog.h>

#include "actors/core/instrument.hpp"
#include "actors/core/unexpected.hpp"
#include "actors/core/bus.hpp"
#include "actors/core/node_context.hpp"
#include "actors/portfolio/ledger.hpp"
#include "schemas/control.hpp"
#include "schemas/market.hpp"
#include "schemas/trading.hpp"

namespace tradewind {

namespace {

constexpr int64_t minus_infinity = std::numeric_limits<int64_t>::min();

/// A last price waiting until the account watermark reaches its event time.
struct pending_mark {
  std::string symbol;
  fixed price;
  int64_t ts_ms = 0;
};

/// An executions item waiting for the executor watermark that follows it to be released.
using execution_item = std::variant<fill, order, watermark>;

/// Lives inside the portfolio actor.
///
/// Determinism: market data can run ahead of the executor and the executions stream can run
/// ahead of the market watermark, so nothing is applied on arrival. Executions are applied
/// stream-prefix-wise up to an executor watermark E once the market watermark reached E;
/// marks are applied in arrival order once E >= their time. The snapshot at E therefore
/// depends only on the two streams, never on how they interleave.
struct portfolio_state {
  std::optional<ledger> book;
  std::shared_ptr<node_context> ctx;
  caf::group account;
  caf::group alerts;
  caf::group control;
  std::deque<pending_mark> marks;         ///< market prices in arrival order
  std::deque<execution_item> executions;  ///< executions stream in arrival order
  int64_t market_wm = minus_infinity;     ///< latest watermark{"market"}
  bool market_ended = false;
  bool executor_ended = false;            ///< executor end_of_stream released
  std::optional<int64_t> published_wm;    ///< last watermark{"account"} sent
  bool end_published = false;
  static inline const char* name = "portfolio";
};

using portfolio_actor = caf::stateful_actor<portfolio_state>;

/// A fill or mark the ledger refused because the account would not fit `fixed`: the books no
/// longer match the venue, so the node is halted (critical alert + halt command, as the
/// supervisor does) rather than trading on numbers that are known to be incomplete.
void on_refused(portfolio_actor* self, const std::string& why) {
  auto& st = self->state;
  auto msg = "portfolio cannot book: " + why + "; node HALTED";
  st.ctx->log->error("event=ledger_overflow detail=\"{}\"", why);
  auto now = st.ctx->wall_clock_ms();
  self->send(st.alerts, alert{severity::critical, "ledger_overflow", "portfolio", msg, now});
  self->send(st.control,
             control_command{control_action::halt, scope_kind::node, "", msg, "portfolio", now});
}

void apply_marks_until(portfolio_actor* self, int64_t ts_ms) {
  auto& st = self->state;
  while (!st.marks.empty() && st.marks.front().ts_ms <= ts_ms) {
    const auto& m = st.marks.front();
    if (auto why = st.book->mark(m.symbol, m.price, m.ts_ms))
      on_refused(self, *why);
    st.marks.pop_front();
  }
}

/// Publishes position updates, the snapshot and the account watermark as of `ts_ms`.
/// A repeated time (the executor's final watermark) only re-publishes the snapshot when
/// something changed, and always carries the end of stream.
void publish_account(portfolio_actor* self, int64_t ts_ms, bool end, bool applied_any) {
  auto& st = self->state;
  apply_marks_until(self, ts_ms);
  const bool advanced = !st.published_wm || ts_ms > *st.published_wm;
  if (advanced || applied_any) {
    for (auto& u : st.book->take_changed_positions(ts_ms))
      self->send(st.account, std::move(u));
    auto snap = st.book->snapshot(ts_ms);
    st.ctx->log->debug("event=account_snapshot ts={} cash={} equity={} drawdown_pct={}", ts_ms,
                       snap.cash.to_string(), snap.equity.to_string(),
                       snap.drawdown_pct.to_string());
    self->send(st.account, std::move(snap));
  }
  if (advanced || end) {
    self->send(st.account, watermark{"account", ts_ms, end});
    st.published_wm = ts_ms;
  }
  if (end) {
    st.end_published = true;
    st.ctx->log->info("event=portfolio_done ts={} equity={} fees={}", ts_ms,
                      st.book->equity().to_string(), st.book->fees_paid().to_string());
  }
}

/// Releases every executor watermark the market watermark has reached, in stream order.
void advance(portfolio_actor* self) {
  auto& st = self->state;
  while (!st.end_published) {
    auto wm_it = std::find_if(st.executions.begin(), st.executions.end(), [](const auto& item) {
      return std::holds_alternative<watermark>(item);
    });
    if (wm_it == st.executions.end())
      break;
    const auto wm = std::get<watermark>(*wm_it);
    if (!st.market_ended && wm.ts_ms > st.market_wm)
      break;
    const bool applied_any = wm_it != st.executions.begin();
    for (auto it = st.executions.begin(); it != wm_it; ++it) {
      if (auto* f = std::get_if<fill>(&*it)) {
        if (auto why = st.book->apply_fill(*f))
          on_refused(self, *why);
      } else
        st.book->apply_order(std::get<order>(*it));
    }
    st.executions.erase(st.executions.begin(), std::next(wm_it));
    st.executor_ended = st.executor_ended || wm.end_of_stream;
    publish_account(self, wm.ts_ms, st.executor_ended && st.market_ended, applied_any);
  }
  // The market may end after the executor's final watermark was already released.
  if (st.executor_ended && st.market_ended && !st.end_published && st.published_wm)
    publish_account(self, *st.published_wm, true, false);
}

void on_price(portfolio_actor* self, const std::string& symbol, fixed price, int64_t ts_ms) {
  self->state.marks.push_back(pending_mark{symbol, price, ts_ms});
}

caf::behavior portfolio_behavior(portfolio_actor* self, portfolio_config cfg,
                                 std::shared_ptr<node_context> ctx) {
  auto& init = self->state;
  init.book.emplace(cfg.initial_cash);
  init.ctx = std::move(ctx);
  log_and_drop_unexpected(self, "portfolio", init.ctx);
  auto& sys = self->system();
  init.account = topic_group(sys, topic::account);
  init.alerts = topic_group(sys, topic::alerts);
  init.control = topic_group(sys, topic::control);
  return instrument(self, *init.ctx, "portfolio", {
    [=](const bar& b) { on_price(self, b.symbol, b.close, b.open_time_ms); },
    [=](const trade_tick& t) { on_price(self, t.symbol, t.price, t.ts_ms); },
    [=](const fill& f) { self->state.executions.emplace_back(f); },
    [=](const order& o) { self->state.executions.emplace_back(o); },
    [=](const watermark& wm) {
      auto& st = self->state;
      if (wm.source == "market") {
        st.market_wm = std::max(st.market_wm, wm.ts_ms);
        st.market_ended = st.market_ended || wm.end_of_stream;
      } else if (wm.source == "executor") {
        st.executions.emplace_back(wm);
      } else {
        return;
      }
      advance(self);
    },
  });
}

} // namespace

caf::actor spawn_portfolio(caf::actor_system& sys, const portfolio_config& cfg,
                           std::shared_ptr<node_context> ctx) {
  // Joined at spawn time, not in the behavior: the behavior runs later on a worker, and
  // anything published in between would be lost.
  return sys.spawn_in_groups(
    {topic_group(sys, topic::market_data), topic_group(sys, topic::executions)},
    portfolio_behavior, cfg, std::move(ctx));
}

} // namespace tradewind
