#include "tools/node_runner.hpp"

#include <atomic>
#include <chrono>
#include <csignal>
#include <future>
#include <mutex>
#include <set>

#include "caf/all.hpp"

#include <spdlog/spdlog.h>

#include "actors/collectors/collector.hpp"
#include "actors/core/node_context.hpp"
#include "actors/core/run_monitor.hpp"
#include "actors/core/supervisor.hpp"
#include "actors/core/bus.hpp"
#include "actors/core/unexpected.hpp"
#include "actors/executors/paper_executor.hpp"
#include "actors/notifiers/notifier.hpp"
#include "actors/portfolio/portfolio.hpp"
#include "actors/risk/risk_gate.hpp"
#include "actors/storage/store_writer.hpp"
#include "actors/strategies/strategy.hpp"
#include "bridge/rest/rest_bridge.hpp"
#include "schemas/atoms.hpp"
#include "actors/core/system_config.hpp"

namespace tradewind {

std::string child_names::strategy(const std::string& id) {
  return "strategy:" + id;
}

namespace {

/// Order matters: subscribers first, the collector (the source) last, so nothing it
/// publishes can miss a subscriber.
std::vector<child_spec> children_of(const node_config& cfg, std::shared_ptr<node_context> ctx) {
  std::vector<child_spec> out;
  out.push_back({child_names::notifier,
                 [c = cfg.notifier, ctx](caf::actor_system& s) { return spawn_notifier(s, c, ctx); }});
  out.push_back({child_names::store,
                 [c = cfg.store, ctx](caf::actor_system& s) { return spawn_store_writer(s, c, ctx); }});
  // REST/WebSocket bridge (bridge/rest/): subscribes to every topic, so it starts before the sources.
  if (cfg.bridge.enabled)
    out.push_back({"bridge", [cfg, ctx](caf::actor_system& s) { return spawn_rest_bridge(s, cfg.bridge, cfg, ctx); }});
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
  // Limits and parameters changed at run time outlive a restart of their actor.
  out.push_back({child_names::risk,
                 [c = make_carry_over(cfg.risk), strategy_ids, ctx, store = cfg.store](caf::actor_system& s) {
                   return spawn_risk_gate(s, c, strategy_ids, ctx, store);
                 }});
  for (auto& st : cfg.strategies)
    if (st.enabled)
      out.push_back({child_names::strategy(st.id),
                     [c = make_carry_over(st), ctx](caf::actor_system& s) { return spawn_strategy(s, c, ctx); }});
  auto cursor = std::make_shared<std::atomic<uint64_t>>(0);
  out.push_back({child_names::collector, [c = cfg.collector, cursor, ctx](caf::actor_system& s) {
                   return spawn_collector(s, c, cursor, ctx);
                 }});
  return out;
}

/// The children of `all` that `plan` runs here, with the link children inserted before the
/// collector (the source) and the risk gate waiting for the plan's strategy inputs. Children
/// that are not pipeline actors (bridges) are kept.
std::vector<child_spec> select_children(const node_config& cfg, std::vector<child_spec> all, const node_plan& plan,
                                        std::shared_ptr<node_context> ctx) {
  auto wanted = [&](const std::string& name) {
    if (name == child_names::collector) return plan.collector;
    if (name == child_names::risk) return plan.risk;
    if (name == child_names::executor) return plan.executor;
    if (name == child_names::portfolio) return plan.portfolio;
    if (name == child_names::notifier) return plan.notifier;
    if (name == child_names::store) return plan.store;
    for (const auto& st : cfg.strategies)
      if (name == child_names::strategy(st.id))
        return std::find(plan.strategies.begin(), plan.strategies.end(), st.id) != plan.strategies.end();
    return true;
  };
  std::vector<child_spec> out;
  for (auto& c : all) {
    if (!wanted(c.name))
      continue;
    if (c.name == child_names::collector)
      out.insert(out.end(), plan.links.begin(), plan.links.end());
    if (c.name == child_names::risk) {
      // The outbox lives in the node's store, whose writer records the acknowledgements.
      auto outbox = plan.store ? std::optional<store_config>{cfg.store} : std::nullopt;
      c.start = [r = make_carry_over(cfg.risk), inputs = plan.risk_inputs, ctx, outbox](caf::actor_system& s) {
        return spawn_risk_gate(s, r, inputs, ctx, outbox);
      };
    }
    out.push_back(std::move(c));
  }
  if (!plan.collector)
    out.insert(out.end(), plan.links.begin(), plan.links.end());
  return out;
}

struct completion_state {
  std::set<std::string> missing;
  std::function<void()> on_complete;
  static inline const char* name = "completion_watcher";
};

/// Calls `on_complete` once every source in `sources` has sent an end_of_stream watermark.
caf::actor spawn_completion_watcher(caf::actor_system& sys, std::vector<std::string> sources,
                                    std::function<void()> on_complete, std::shared_ptr<node_context> ctx) {
  auto g = [&](topic t) { return topic_group(sys, t); };
  auto impl = [](caf::stateful_actor<completion_state>* self, std::vector<std::string> srcs,
                 std::function<void()> done, std::shared_ptr<node_context> c) -> caf::behavior {
    self->state.missing.insert(srcs.begin(), srcs.end());
    self->state.on_complete = std::move(done);
    drop_unhandled_silently(self, completion_state::name, std::move(c));
    return {[=](const watermark& wm) {
      auto& st = self->state;
      if (!wm.end_of_stream || st.missing.erase(wm.source) == 0 || !st.missing.empty())
        return;
      st.on_complete();
    }};
  };
  return sys.spawn_in_groups({g(topic::market_data), g(topic::signals), g(topic::orders), g(topic::executions),
                              g(topic::account)},
                             impl, std::move(sources), std::move(on_complete), std::move(ctx));
}

/// Asks each link child in `names` to flush (every message confirmed by the broker).
bool flush_links(caf::actor_system& sys, const caf::actor& supervisor, const std::vector<std::string>& names,
                 node_context& ctx) {
  caf::scoped_actor self{sys};
  bool ok = true;
  for (const auto& name : names) {
    caf::actor link;
    self->request(supervisor, std::chrono::seconds(5), caf::get_atom::value, name)
      .receive([&](const caf::actor& a) { link = a; }, [&](caf::error&) {});
    if (!link) {
      ok = false;
      ctx.log->error("event=link_flush_failed link={} reason=\"not running\"", name);
      continue;
    }
    self->request(link, std::chrono::seconds(60), flush_atom::value)
      .receive([](caf::ok_atom) {},
               [&](caf::error& e) {
                 ok = false;
                 ctx.log->error("event=link_flush_failed link={} reason=\"{}\"", name, sys.render(e));
               });
  }
  return ok;
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

static run_result run_impl(const node_config& cfg, std::shared_ptr<node_context> ctx, run_hooks hooks,
                    const node_plan* plan) {
  sigset_t stop_signals;
  if (hooks.handle_signals)
    stop_signals = block_stop_signals();
  run_result result;
  // Declared before the actor system: the monitor may fire while the system shuts down.
  std::promise<void> complete;
  auto complete_future = complete.get_future();
  // Without a plan the run ends with the account's end of stream; with one, once every
  // completion source of this node ended.
  std::once_flag completed;
  auto finish = [&complete, &completed] { std::call_once(completed, [&] { complete.set_value(); }); };
  node_system_config sys_cfg{cfg.threads};
  caf::actor_system sys{sys_cfg};
  auto monitor = spawn_run_monitor(sys, [plan, &finish](const run_summary&) {
    if (!plan)
      finish();
  });
  std::vector<caf::actor> extras;
  if (plan)
    extras.push_back(spawn_completion_watcher(sys, plan->completion_sources, finish, ctx));
  if (hooks.before_start)
    for (auto& a : hooks.before_start(sys))
      extras.push_back(std::move(a));
  auto children = children_of(cfg, ctx);
  if (plan)
    children = select_children(cfg, std::move(children), *plan, ctx);
  auto supervisor = spawn_supervisor(sys, cfg.supervisor, std::move(children), ctx);
  ctx->log->info("event=node_started node={} strategies={} threads={}", cfg.node_name,
                 cfg.strategies.size(), cfg.threads);
  if (hooks.on_started)
    hooks.on_started(sys, supervisor);
  for (;;) {
    if (complete_future.wait_for(std::chrono::milliseconds(0)) == std::future_status::ready)
      break;
    if (!hooks.handle_signals) {
      if (hooks.stop_requested && hooks.stop_requested()) {
        result.interrupted = true;
        break;
      }
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
  result.links_flushed = !plan || flush_links(sys, supervisor, plan->flush_links, *ctx);
  result.store_flushed = plan && !plan->store ? true : flush_store(sys, supervisor, *ctx);
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

run_result run_node(const node_config& cfg, std::shared_ptr<node_context> ctx, run_hooks hooks) {
  return run_impl(cfg, std::move(ctx), std::move(hooks), nullptr);
}

run_result run_node(const node_config& cfg, std::shared_ptr<node_context> ctx, const node_plan& plan,
                    run_hooks hooks) {
  return run_impl(cfg, std::move(ctx), std::move(hooks), &plan);
}

} // namespace tradewind
