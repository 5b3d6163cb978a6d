#include "actors/collectors/collector.hpp"

#include <chrono>
#include <deque>
#include <optional>

#include <spdlog/spdlog.h>

#include "caf/all.hpp"

#include "actors/collectors/merged_feed.hpp"
#include "actors/core/instrument.hpp"
#include "actors/core/latency_tracker.hpp"
#include "actors/core/unexpected.hpp"
#include "actors/core/bus.hpp"
#include "actors/core/node_context.hpp"
#include "schemas/atoms.hpp"
#include "schemas/control.hpp"
#include "schemas/trading.hpp"

namespace tradewind {

namespace {

/// Items published per next_atom at full speed, so that the other actors of a small
/// scheduler get their turn between batches.
constexpr size_t batch_size = 256;
/// Malformed rows logged one by one; the rest are only counted.
constexpr uint64_t max_logged_errors = 20;
constexpr const char* source_name = "collector";

/// Lives inside the collector actor.
struct collector_state {
  static const char* name;
  collector_config cfg;
  replay_cursor cursor;
  std::shared_ptr<node_context> ctx;
  std::optional<merged_feed> feed;
  caf::group market;
  caf::group alerts;
  /// Read from the feed, not yet published (waiting for pacing or back-pressure).
  std::optional<market_item> pending;
  /// Time of the last event published or skipped on resume.
  std::optional<int64_t> last_event_ts;
  /// Times of the events published beyond the latest account watermark, oldest first.
  std::deque<int64_t> unacked;
  bool scheduled = false; ///< a next_atom is on its way (now or delayed)
  bool waited = false;    ///< the pacing delay before `pending` has elapsed
  bool done = false;      ///< the stream is over; the actor idles until stopped
  uint64_t events = 0;
  uint64_t watermarks = 0;
  uint64_t malformed_seen = 0;
  std::optional<row_error> first_error;
};

const char* collector_state::name = "collector";

using collector_actor = caf::stateful_actor<collector_state>;

void schedule_next(collector_actor* self, std::chrono::microseconds delay) {
  auto& st = self->state;
  if (st.scheduled)
    return;
  st.scheduled = true;
  if (delay.count() <= 0)
    self->send(self, next_atom::value);
  else
    self->delayed_send(self, delay, next_atom::value);
}

/// Wall-time pause between two event times at `speed` (event ms per wall ms).
/// A pause too long for int64 µs (centuries) waits the longest expressible time instead:
/// it is a pause, not an amount, and it outlasts any run either way.
std::chrono::microseconds pacing_delay(int64_t delta_ms, fixed speed) {
  if (speed.raw <= 0)
    return std::chrono::microseconds{0};
  using i128 = __int128;
  i128 us = static_cast<i128>(delta_ms) * 1000 * fixed::scale / speed.raw;
  if (us > std::chrono::microseconds::max().count())
    return std::chrono::microseconds::max();
  if (us < 0)
    return std::chrono::microseconds{0};
  return std::chrono::microseconds{static_cast<int64_t>(us)}; // tw-cast-ok: range checked above
}

void publish_alert(collector_actor* self, severity level, std::string code, std::string message) {
  auto& st = self->state;
  self->send(st.alerts, alert{level, std::move(code), source_name, std::move(message),
                              st.ctx->wall_clock_ms()});
}

/// Logs the errors the sources found since the last call; unreadable files raise an alert.
void report_errors(collector_actor* self) {
  auto& st = self->state;
  for (auto& e : st.feed->drain_errors()) {
    if (e.line == 0) {
      // The free-text reason goes last so the key=value part stays parseable.
      st.ctx->log->error("event=feed_unreadable file={} reason={}", e.file, e.reason);
      publish_alert(self, severity::critical, "feed_unreadable", e.to_string());
      continue;
    }
    if (!st.first_error)
      st.first_error = e;
    ++st.malformed_seen;
    if (st.malformed_seen <= max_logged_errors)
      st.ctx->log->warn("event=malformed_row file={} line={} reason={}", e.file, e.line, e.reason);
    if (st.malformed_seen == max_logged_errors + 1)
      st.ctx->log->warn(
          "event=malformed_rows_suppressed logged={} note=further rows are only counted",
          max_logged_errors);
  }
}

void finish(collector_actor* self) {
  auto& st = self->state;
  st.done = true;
  report_errors(self);
  const uint64_t skipped = st.feed->rows_skipped();
  st.ctx->log->info("event=collector_finished events={} watermarks={} rows_skipped={} "
                    "out_of_order_dropped={} cursor={}",
                    st.events, st.watermarks, skipped, st.feed->out_of_order_dropped(),
                    st.cursor->load());
  if (skipped > 0 && st.first_error)
    publish_alert(self, severity::warning, "malformed_rows",
                  std::to_string(skipped) + (skipped == 1 ? " malformed row" : " malformed rows") +
                      " skipped; first at " + st.first_error->to_string());
}

void publish(collector_actor* self, market_item item) {
  auto& st = self->state;
  if (std::holds_alternative<watermark>(item)) {
    ++st.watermarks;
  } else {
    const int64_t t = item_time(item);
    st.unacked.push_back(t);
    st.last_event_ts = t;
    ++st.events;
    st.ctx->latency->tick_published(t);
  }
  std::visit([&](auto&& x) { self->send(st.market, std::move(x)); }, std::move(item));
  // Counted right after the send: a restarted collector skips exactly what went out.
  st.cursor->fetch_add(1);
}

/// Publishes up to batch_size items; stops early for pacing, back-pressure or the end.
void step(collector_actor* self) {
  auto& st = self->state;
  for (size_t n = 0; n < batch_size; ++n) {
    if (!st.pending) {
      st.pending = st.feed->next();
      st.waited = false;
    }
    if (!st.pending) {
      finish(self);
      return;
    }
    if (!std::holds_alternative<watermark>(*st.pending)) {
      const int64_t t = item_time(*st.pending);
      // Pause only between distinct times: the watermark of the last time is then already
      // out, so the account watermark can catch up with everything published.
      const bool new_time = st.last_event_ts && t > *st.last_event_ts;
      if (new_time && st.unacked.size() >= st.cfg.max_ahead) {
        report_errors(self);
        return; // resumed by the next account watermark
      }
      if (new_time && st.cfg.speed.raw > 0 && !st.waited) {
        st.waited = true;
        report_errors(self);
        schedule_next(self, pacing_delay(t - *st.last_event_ts, st.cfg.speed));
        return;
      }
    }
    publish(self, std::move(*st.pending));
    st.pending.reset();
  }
  report_errors(self);
  schedule_next(self, std::chrono::microseconds{0});
}

/// Skips the items a previous incarnation already published.
void skip_published(collector_actor* self) {
  auto& st = self->state;
  const uint64_t skip = st.cursor->load();
  for (uint64_t i = 0; i < skip; ++i) {
    auto item = st.feed->next();
    if (!item)
      break;
    if (!std::holds_alternative<watermark>(*item))
      st.last_event_ts = item_time(*item);
  }
}

caf::behavior collector_impl(collector_actor* self, collector_config cfg, replay_cursor cursor,
                             std::shared_ptr<node_context> ctx) {
  auto& st = self->state;
  st.cfg = std::move(cfg);
  st.cursor = cursor ? std::move(cursor) : std::make_shared<std::atomic<uint64_t>>(0);
  st.ctx = std::move(ctx);
  st.market = topic_group(self->system(), topic::market_data);
  st.alerts = topic_group(self->system(), topic::alerts);
  self->join(topic_group(self->system(), topic::account));
  st.feed.emplace(make_market_feed(st.cfg));
  const uint64_t resume_at = st.cursor->load();
  st.ctx->log->info("event=collector_started mode={} feeds={} speed={} max_ahead={} resume_at={}",
                    st.cfg.mode,
                    st.cfg.mode == "synthetic" ? st.cfg.synthetic.symbols.size()
                                               : st.cfg.feeds.size(),
                    st.cfg.speed.to_string(), st.cfg.max_ahead, resume_at);
  skip_published(self);
  schedule_next(self, std::chrono::microseconds{0});
  // account carries snapshots and position updates too; only its watermark matters here.
  drop_unhandled_silently(self, "collector", st.ctx);
  return instrument(self, *st.ctx, "collector", {
    [=](next_atom) {
      self->state.scheduled = false;
      if (!self->state.done)
        step(self);
    },
    [=](const watermark& w) {
      auto& s = self->state;
      if (w.source != "account")
        return;
      while (!s.unacked.empty() && s.unacked.front() <= w.ts_ms)
        s.unacked.pop_front();
      if (!s.done)
        schedule_next(self, std::chrono::microseconds{0});
    },
    [=](const account_snapshot&) {},
    [=](const position_update&) {},
    [=](stats_atom) { return self->state.cursor->load(); },
  });
}

} // namespace

caf::actor spawn_collector(caf::actor_system& sys, const collector_config& cfg,
                           replay_cursor cursor, std::shared_ptr<node_context> ctx) {
  return sys.spawn(collector_impl, cfg, std::move(cursor), std::move(ctx));
}

} // namespace tradewind
