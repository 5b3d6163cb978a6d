#include "actors/storage/store_writer.hpp"

#include <algorithm>
#include <chrono>
#include <optional>
#include <vector>

#include "caf/all.hpp"

#include <spdlog/spdlog.h>

#include "actors/core/crash_points.hpp"
#include "actors/core/instrument.hpp"
#include "actors/core/unexpected.hpp"
#include "actors/core/bus.hpp"
#include "actors/core/node_context.hpp"
#include "actors/storage/store.hpp"
#include "actors/storage/store_metrics.hpp"
#include "net/redact.hpp"
#include "schemas/atoms.hpp"
#include "schemas/control.hpp"
#include "schemas/trading.hpp"

namespace tradewind {

namespace {

/// Internal self-message: the flush interval of the oldest buffered record has elapsed.
using commit_atom = caf::atom_constant<caf::atom("commit")>;

/// First retry delay after a failed commit; doubles up to max_retry_backoff_ms.
constexpr int64_t initial_retry_backoff_ms = 100;
constexpr int64_t max_retry_backoff_ms = 5'000;

/// Lives inside the store writer actor (a detached actor: its own thread, so blocking
/// SQLite calls never stall the cooperative scheduler).
struct store_writer_state {
  static const char* name;
  store_config cfg;
  std::shared_ptr<node_context> ctx;
  std::unique_ptr<store> db;
  store_batch pending;               ///< received, not yet committed; never dropped on failure
  bool timer_armed = false;          ///< a commit_atom is on its way
  bool failing = false;              ///< the last commit failed; a retry_atom is on its way
  int64_t retry_backoff_ms = 0;
  std::vector<caf::response_promise> flush_waiters; ///< answered after the next good commit
  uint64_t committed_records = 0;
  bool backlogged = false;           ///< over max_pending_records: halt sent, until the backlog is committed
  std::optional<store_metrics> metrics;
};
const char* store_writer_state::name = "store_writer";

using writer_ptr = caf::stateful_actor<store_writer_state>*;

void publish_alert(writer_ptr self, severity level, const char* code, const std::string& msg) {
  auto& st = self->state;
  self->send(topic_group(self->system(), topic::alerts),
             alert{level, code, "store_writer", msg, st.ctx->wall_clock_ms()});
}

void answer_flush_waiters(writer_ptr self) {
  for (auto& rp : self->state.flush_waiters)
    rp.deliver(caf::ok_atom::value);
  self->state.flush_waiters.clear();
}

void schedule_retry(writer_ptr self) {
  auto& st = self->state;
  st.retry_backoff_ms = st.retry_backoff_ms == 0
                          ? initial_retry_backoff_ms
                          : std::min(st.retry_backoff_ms * 2, max_retry_backoff_ms);
  self->delayed_send(self, std::chrono::milliseconds{st.retry_backoff_ms}, retry_atom::value);
}

/// Commits everything buffered in one transaction. On failure the records stay buffered
/// and a retry is scheduled; the first failure of an episode raises one alert.
bool commit(writer_ptr self) {
  auto& st = self->state;
  if (st.pending.empty()) {
    answer_flush_waiters(self);
    return true;
  }
  st.ctx->crash->reached("store_commit", [&st] { st.ctx->log->flush(); });
  auto started = std::chrono::steady_clock::now();
  auto status = st.db->write_batch(st.pending);
  if (status) {
    std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    st.metrics->committed(st.pending, took.count());
    st.committed_records += st.pending.size();
    if (st.failing) {
      st.ctx->log->info("event=store_commit_recovered records={}", st.pending.size());
      st.failing = false;
      st.retry_backoff_ms = 0;
    }
    st.pending.clear();
    st.metrics->set_queue_depth(0);
    if (st.backlogged) {
      st.backlogged = false;
      st.ctx->log->warn("event=store_backlog_cleared");
      publish_alert(self, severity::warning, "store_backlog_cleared",
                    "the store writer caught up; trading stays halted until an operator resumes it");
    }
    answer_flush_waiters(self);
    return true;
  }
  st.metrics->commit_failed();
  if (!st.failing) {
    st.failing = true;
    st.ctx->log->error("event=store_commit_failed records={} error=\"{}\"", st.pending.size(),
                       status.message());
    publish_alert(self, severity::critical, "store_commit_failed", status.message());
  } else {
    st.ctx->log->warn("event=store_commit_retry_failed records={} error=\"{}\"",
                      st.pending.size(), status.message());
  }
  schedule_retry(self);
  return false;
}

/// Back-pressure: the writer is too far behind. A publish/subscribe bus cannot slow its
/// publishers, and dropping records is never allowed, so trading is halted (once per
/// backlog episode) until the backlog is committed and an operator resumes.
void check_backlog(writer_ptr self) {
  auto& st = self->state;
  auto limit = static_cast<size_t>(std::max<int64_t>(st.cfg.max_pending_records, 1));
  if (st.backlogged || st.pending.size() <= limit)
    return;
  st.backlogged = true;
  auto reason = "store writer is " + std::to_string(st.pending.size()) +
                " records behind (max_pending_records " + std::to_string(limit) + ")";
  st.ctx->log->error("event=store_backlog pending={} limit={}", st.pending.size(), limit);
  publish_alert(self, severity::critical, "store_backlog", reason);
  self->send(topic_group(self->system(), topic::control),
             control_command{control_action::halt, scope_kind::node, "", reason, "store_writer",
                             st.ctx->wall_clock_ms()});
}

/// Called after a record was buffered: commit on a full batch, else make sure a timer runs.
void on_record(writer_ptr self) {
  auto& st = self->state;
  // While failing, the retry timer commits everything, new records included.
  if (!st.failing) {
    if (st.pending.size() >= static_cast<size_t>(std::max(st.cfg.batch_size, 1))) {
      commit(self);
    } else if (!st.timer_armed) {
      st.timer_armed = true;
      self->delayed_send(self, std::chrono::milliseconds{st.cfg.flush_interval_ms},
                         commit_atom::value);
    }
  }
  check_backlog(self); // after the commit attempt: only what really stays behind counts
  st.metrics->set_queue_depth(st.pending.size());
}

caf::behavior store_writer(writer_ptr self, store_config cfg, std::shared_ptr<node_context> ctx) {
  auto& st = self->state;
  st.cfg = std::move(cfg);
  st.ctx = std::move(ctx);
  st.metrics.emplace(*st.ctx->metrics, st.cfg.max_pending_records);
  auto opened = open_store(st.cfg);
  if (!opened) {
    st.ctx->log->error("event=store_open_failed url={} error=\"{}\"", redact_url(st.cfg.url),
                       opened.error());
    publish_alert(self, severity::critical, "store_open_failed", opened.error());
    self->quit(caf::make_error(caf::sec::runtime_error, opened.error()));
    return {};
  }
  st.db = std::move(opened.value());
  st.ctx->log->info("event=store_opened url={}", redact_url(st.cfg.url));
  // Topics carry more message types than we persist (intents, watermarks, …).
  drop_unhandled_silently(self, "store", st.ctx);
  // Shutdown: one last commit attempt, so a clean stop loses nothing.
  self->set_exit_handler([self](caf::exit_msg& msg) {
    auto& st = self->state;
    if (!st.pending.empty() && !commit(self))
      st.ctx->log->error("event=store_records_lost records={}", st.pending.size());
    self->quit(msg.reason);
  });
  return instrument(self, *st.ctx, "store_writer", {
    [self](const order& o) {
      self->state.pending.orders.push_back(o);
      on_record(self);
    },
    [self](const fill& f) {
      self->state.pending.fills.push_back(f);
      on_record(self);
    },
    [self](const risk_decision& d) {
      self->state.pending.decisions.push_back(d);
      on_record(self);
    },
    [self](const position_update& p) {
      self->state.pending.positions.push_back(p);
      on_record(self);
    },
    [self](const account_snapshot& s) {
      auto& kept = self->state.pending.snapshots.emplace_back(s);
      kept.positions.clear();   // stored as position_update records of their own
      kept.open_orders.clear(); // stored as order records of their own
      on_record(self);
    },
    [self](const alert& a) {
      self->state.pending.alerts.push_back(a);
      on_record(self);
    },
    [self](commit_atom) {
      self->state.timer_armed = false;
      if (!self->state.failing)
        commit(self);
    },
    [self](retry_atom) { commit(self); },
    [self](flush_atom) -> caf::result<caf::ok_atom> {
      if (!self->state.failing && commit(self))
        return caf::ok_atom::value;
      auto rp = self->make_response_promise();
      self->state.flush_waiters.push_back(rp);
      return rp;
    },
  });
}

} // namespace

caf::actor spawn_store_writer(caf::actor_system& sys, const store_config& cfg,
                              std::shared_ptr<node_context> ctx) {
  // Joining at spawn time (not in the actor's init) means nothing published after this
  // call returns can be missed.
  auto groups = {topic_group(sys, topic::orders), topic_group(sys, topic::executions),
                 topic_group(sys, topic::account), topic_group(sys, topic::alerts)};
  return sys.spawn_in_groups<caf::detached>(groups, store_writer, cfg, std::move(ctx));
}

} // namespace tradewind
