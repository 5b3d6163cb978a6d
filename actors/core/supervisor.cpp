#include "actors/core/supervisor.hpp"

#include <chrono>
#include <map>

#include "caf/all.hpp"

#include <spdlog/spdlog.h>

#include "actors/core/bus.hpp"
#include "actors/core/instrument.hpp"
#include "actors/core/node_context.hpp"
#include "schemas/atoms.hpp"
#include "schemas/control.hpp"

namespace tradewind {

namespace {

struct child_slot {
  child_spec spec;
  caf::actor handle;
  restart_policy policy;
  bool given_up = false;
};

struct supervisor_state {
  supervisor_config cfg;
  std::shared_ptr<node_context> ctx;
  std::map<std::string, child_slot> children;
  bool stopping = false;
  static inline const char* name = "supervisor";
};

using supervisor_actor = caf::stateful_actor<supervisor_state>;

void publish_alert(supervisor_actor* self, severity level, std::string code, std::string message) {
  alert a{level, std::move(code), "supervisor", std::move(message), self->state.ctx->wall_clock_ms()};
  self->send(topic_group(self->system(), topic::alerts), std::move(a));
}

void start_child(supervisor_actor* self, child_slot& slot) {
  slot.handle = slot.spec.start(self->system());
  self->monitor(slot.handle);
}

void escalate(supervisor_actor* self, child_slot& slot, const std::string& why) {
  auto& st = self->state;
  slot.given_up = true;
  auto msg = slot.spec.name + " failed " + std::to_string(slot.policy.failures_in_window()) +
             " times within " + std::to_string(st.cfg.window_ms) + " ms (last: " + why +
             "); not restarting it, node HALTED";
  st.ctx->log->error("event=supervisor_escalated child={} reason=\"{}\"", slot.spec.name, why);
  publish_alert(self, severity::critical, "supervisor_escalated", msg);
  control_command halt{control_action::halt, scope_kind::node, "", msg, "supervisor",
                       st.ctx->wall_clock_ms()};
  self->send(topic_group(self->system(), topic::control), std::move(halt));
}

void on_child_down(supervisor_actor* self, const caf::down_msg& dm) {
  auto& st = self->state;
  for (auto& [name, slot] : st.children) {
    if (slot.handle.address() != dm.source)
      continue;
    slot.handle = nullptr;
    if (st.stopping || dm.reason == caf::exit_reason::normal)
      return;
    auto why = self->system().render(dm.reason);
    if (!slot.policy.on_failure(st.ctx->wall_clock_ms())) {
      escalate(self, slot, why);
      return;
    }
    auto delay = slot.policy.backoff_ms();
    st.ctx->log->warn("event=child_down child={} reason=\"{}\" restart_in_ms={}", name, why, delay);
    self->delayed_send(self, std::chrono::milliseconds(delay), restart_atom::value, name, why);
    return;
  }
}

caf::behavior supervisor_behavior(supervisor_actor* self, supervisor_config cfg,
                                  std::vector<child_spec> children,
                                  std::shared_ptr<node_context> ctx) {
  auto& st = self->state;
  st.cfg = cfg;
  st.ctx = std::move(ctx);
  for (auto& spec : children) {
    auto name = spec.name;
    auto& slot = st.children.emplace(name, child_slot{std::move(spec), {}, restart_policy{cfg}})
                   .first->second;
    start_child(self, slot);
  }
  self->set_down_handler([=](caf::down_msg& dm) { on_child_down(self, dm); });
  self->set_exit_handler([=](caf::exit_msg& em) {
    self->state.stopping = true;
    for (auto& [name, slot] : self->state.children)
      if (slot.handle)
        self->send_exit(slot.handle, em.reason);
    self->quit(em.reason);
  });
  return instrument(self, *st.ctx, "supervisor", {
    [=](restart_atom, const std::string& name, const std::string& why) {
      auto& st = self->state;
      auto it = st.children.find(name);
      if (st.stopping || it == st.children.end() || it->second.given_up)
        return;
      start_child(self, it->second);
      auto n = it->second.policy.failures_in_window();
      st.ctx->log->warn("event=child_restarted child={} restarts_in_window={}", name, n);
      publish_alert(self, severity::warning, "actor_restarted",
                    name + " restarted after failure (" + why + "), restart " + std::to_string(n) +
                      " of " + std::to_string(st.cfg.max_restarts) + " allowed within " +
                      std::to_string(st.cfg.window_ms) + " ms");
    },
    [=](caf::get_atom, const std::string& name) -> caf::actor {
      auto it = self->state.children.find(name);
      return it == self->state.children.end() ? caf::actor{} : it->second.handle;
    },
  });
}

} // namespace

caf::actor spawn_supervisor(caf::actor_system& sys, const supervisor_config& cfg,
                            std::vector<child_spec> children, std::shared_ptr<node_context> ctx) {
  return sys.spawn(supervisor_behavior, cfg, std::move(children), std::move(ctx));
}

} // namespace tradewind
