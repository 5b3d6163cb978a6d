#include "tools/role_adopter.hpp"

#include <spdlog/spdlog.h>

#include "actors/core/node_context.hpp"
#include "config/loader.hpp"
#include "tools/cluster_node.hpp"
#include "tools/node_runner.hpp"

namespace tradewind {

struct role_adopter::role {
  std::string node;
  std::atomic<bool> stop{false};
  std::thread thread;
  bool ok = false;        ///< started and flushed its links
  std::string summary;    ///< run summary or the reason it did not start
};

role_adopter::role_adopter(topology::model m, std::string self, std::shared_ptr<node_context> ctx)
  : model_(std::move(m)), self_(std::move(self)), ctx_(std::move(ctx)) {
  // nop
}

role_adopter::~role_adopter() {
  std::string ignored;
  finish(true, ignored);
}

bool role_adopter::on_node_lost(const std::string& lost, const std::vector<amqp::member>& remaining) {
  if (amqp::heir_of(model_, lost, remaining) != self_)
    return false;
  std::lock_guard<std::mutex> guard{mutex_};
  for (const auto& r : roles_)
    if (r->node == lost)
      return false; // adopted already; a role runs until the run ends
  auto r = std::make_unique<role>();
  r->node = lost;
  ctx_->log->warn("event=node_adopted node={} heir={} detail=\"running the role of lost node {} here: its "
                  "queues are replayed from their first offset\"",
                  lost, self_, lost);
  r->thread = std::thread([this, p = r.get()] { run_role(*p); });
  roles_.push_back(std::move(r));
  return true;
}

void role_adopter::run_role(role& r) {
  auto fail = [&](const std::string& why) {
    r.summary = "cannot adopt " + r.node + ": " + why;
    ctx_->log->error("event=node_adoption_failed node={} detail=\"{}\"", r.node, r.summary);
  };
  auto path = node_config_path(model_, r.node);
  auto loaded = load_config_file(path, environment_overrides());
  if (!loaded.config)
    return fail("its config " + path + " does not load: " + format_errors(loaded.errors, path));
  auto cfg = std::move(*loaded.config);
  cfg.node_name = r.node;
  if (auto errors = apply_actor_configs(model_, r.node, cfg); !errors.empty())
    return fail(errors.front());
  cfg.bridge.enabled = false; // the port belongs to this process's own node
  auto ctx = make_node_context(r.node, cfg.log.level, cfg.log.format);
  auto planned = plan_node(model_, r.node, cfg, ctx, {}, /*with_membership=*/false);
  if (!planned.plan)
    return fail(planned.errors.front()); // plan_node gives every reason there is no plan
  run_hooks hooks;
  hooks.handle_signals = false;
  hooks.stop_requested = [&r] { return r.stop.load(); };
  auto result = run_node(cfg, ctx, *planned.plan, std::move(hooks));
  r.ok = result.links_flushed;
  r.summary = "adopted role " + r.node + ":\n" + format_summary(result.summary, "(no store)");
}

bool role_adopter::finish(bool interrupted, std::string& report) {
  std::vector<std::unique_ptr<role>> roles;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    roles.swap(roles_);
  }
  bool ok = true;
  for (auto& r : roles) {
    if (interrupted)
      r->stop = true;
    if (r->thread.joinable())
      r->thread.join();
    ok = ok && r->ok;
    report += r->summary;
  }
  return ok;
}

} // namespace tradewind
