#include "tools/node_runner.hpp"

#include <atomic>
#include <chrono>
#include <csignal>
#include <future>

#include "caf/all.hpp"

#include <spdlog/spdlog.h>

#include "actors/collectors/collector.hpp"
#include "actors/core/node_context.hpp"
#include "actors/core/run_monitor.hpp"
#include "actors/core/supervisor.hpp"
#include "actors/executors/paper_executor.hpp"
#include "actors/notifiers/notifier.hpp"
#include "actors/portfolio/portfolio.hpp"
#include "actors/risk/risk_gate.hpp"
#include "actors/storage/store_writer.hpp"
#include "actors/strategies/strategy.hpp"
#include "schemas/atoms.hpp"
#include "schemas/registry.hpp"

namespace tradewind {

std::string child_names::strategy(const std::string& id) {
  return "strategy:" + id;
}

namespace {

class system_config : public caf::actor_system_config {
public:
  explicit system_config(int threads) {
    register_message_types(*this);
    set("scheduler.max-threads", threads);
    set("logger.console", caf::atom("none"));
    set("logger.file-verbosity", caf::atom("quiet"));
  }
};

/// Order matters: subscribers first, the collector (the source) last, so nothing it
/// publishes can miss a subscriber.
std::vector<child_spec> children_of(const node_config& cfg, std::shared_ptr<node_context> ctx) {
  std::vector<child_spec> out;
  out.push_back({child_names::notifier,
                 [c = cfg.notifier, ctx](caf::actor_system& s) { return spawn_notifier(s, c, ctx); }});
  out.push_back({child_names::store,
                 [c = cfg.store, ctx](caf::actor_system& s) { return spawn_store_writer(s, c, ctx); }});
  out.push_back({child_names::portfolio, [c = cfg.portfolio, ctx](caf::actor_system& s) {
                   return spawn_portfolio(s, c, ctx);
                 }});
  out.push_back({child_names::executor, [c = cfg.executor, ctx](caf::actor_system& s) {
                   return spawn_paper_executor(s, c, ctx);
                 }});
  std::vector<std::string> strategy_ids;
  for (auto& st : cfg.strategies)
    if (st.enabled)
      strategy_ids.push_back(st.id);
  out.push_back({child_names::risk, [c = cfg.risk, strategy_ids, ctx](caf::actor_system& s) {
                   return spawn_risk_gate(s, c, strategy_ids, ctx);
                 }});
  for (auto& st : cfg.strategies)
    if (st.enabled)
      out.push_back({child_names::strategy(st.id),
                     [st, ctx](caf::actor_system& s) { return spawn_strategy(s, st, ctx); }});
  auto cursor = std::make_shared<std::atomic<uint64_t>>(0);
  out.push_back({child_names::collector, [c = cfg.collector, cursor, ctx](caf::actor_system& s) {
                   return spawn_collector(s, c, cursor, ctx);
                 }});
  return out;
}

/// Blocks SIGINT/SIGTERM in this thread (and the threads it starts) so the main loop can
/// take them with sigtimedwait instead of an async handler.
sigset_t block_stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

bool flush_store(caf::actor_system& sys, const caf::actor& supervisor, node_context& ctx) {
  caf::scoped_actor self{sys};
  caf::actor store;
  self->request(supervisor, std::chrono::seconds(5), caf::get_atom::value,
                std::string{child_names::store})
    .receive([&](const caf::actor& a) { store = a; },
             [&](caf::error& e) { ctx.log->error("event=flush_failed reason=\"{}\"", sys.render(e)); });
  if (!store)
    return false;
  bool ok = false;
  self->request(store, std::chrono::seconds(60), flush_atom::value)
    .receive([&](caf::ok_atom) { ok = true; },
             [&](caf::error& e) { ctx.log->error("event=flush_failed reason=\"{}\"", sys.render(e)); });
  return ok;
}

} // namespace

run_result run_node(const node_config& cfg, std::shared_ptr<node_context> ctx, run_hooks hooks) {
  sigset_t stop_signals;
  if (hooks.handle_signals)
    stop_signals = block_stop_signals();
  run_result result;
  // Declared before the actor system: the monitor may fire while the system shuts down.
  std::promise<void> complete;
  auto complete_future = complete.get_future();
  system_config sys_cfg{cfg.threads};
  caf::actor_system sys{sys_cfg};
  auto monitor = spawn_run_monitor(sys, [&complete](const run_summary&) { complete.set_value(); });
  std::vector<caf::actor> extras;
  if (hooks.before_start)
    extras = hooks.before_start(sys);
  auto supervisor = spawn_supervisor(sys, cfg.supervisor, children_of(cfg, ctx), ctx);
  ctx->log->info("event=node_started node={} strategies={} threads={}", cfg.node_name,
                 cfg.strategies.size(), cfg.threads);
  if (hooks.on_started)
    hooks.on_started(sys, supervisor);
  for (;;) {
    if (complete_future.wait_for(std::chrono::milliseconds(0)) == std::future_status::ready)
      break;
    if (!hooks.handle_signals) {
      complete_future.wait_for(std::chrono::milliseconds(100));
      continue;
    }
    timespec timeout{0, 100'000'000};
    int sig = sigtimedwait(&stop_signals, nullptr, &timeout);
    if (sig == SIGINT || sig == SIGTERM) {
      ctx->log->warn("event=shutdown_requested signal={}", sig == SIGINT ? "SIGINT" : "SIGTERM");
      result.interrupted = true;
      break;
    }
  }
  result.store_flushed = flush_store(sys, supervisor, *ctx);
  caf::scoped_actor self{sys};
  self->request(monitor, std::chrono::seconds(10), stats_atom::value)
    .receive([&](const run_summary& s) { result.summary = s; }, [](caf::error&) {});
  self->send_exit(supervisor, caf::exit_reason::user_shutdown);
  self->send_exit(monitor, caf::exit_reason::user_shutdown);
  for (auto& a : extras)
    self->send_exit(a, caf::exit_reason::user_shutdown);
  ctx->log->info("event=node_stopped node={} interrupted={} store_flushed={}", cfg.node_name,
                 result.interrupted, result.store_flushed);
  return result;
}

} // namespace tradewind
