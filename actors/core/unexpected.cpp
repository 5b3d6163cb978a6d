#include "actors/core/unexpected.hpp"

#include "caf/all.hpp"

#include <spdlog/spdlog.h>

#include "actors/core/node_context.hpp"

namespace tradewind {

void log_and_drop_unexpected(caf::scheduled_actor* self, const char* actor_name,
                             std::shared_ptr<node_context> ctx) {
  self->set_default_handler([actor_name, ctx](caf::scheduled_actor*, caf::message_view& x) {
    ctx->log->warn("event=unexpected_message actor={} message=\"{}\"", actor_name,
                   caf::to_string(x.content()));
    return caf::result<caf::message>{caf::message{}};
  });
  self->set_error_handler([actor_name, ctx](caf::scheduled_actor* s, caf::error& err) {
    ctx->log->warn("event=error_message actor={} error=\"{}\"", actor_name, s->system().render(err));
  });
}

} // namespace tradewind

namespace tradewind {

void drop_unhandled_silently(caf::scheduled_actor* self, const char* actor_name,
                             std::shared_ptr<node_context> ctx) {
  log_and_drop_unexpected(self, actor_name, ctx);
  self->set_default_handler(
    [](caf::scheduled_actor*, caf::message_view&) { return caf::result<caf::message>{caf::message{}}; });
}

} // namespace tradewind
