#include "bridge/amqp/impl/reconnect.hpp"

#include <algorithm>

#include "caf/send.hpp"

#include <spdlog/spdlog.h>

#include "actors/core/node_context.hpp"
#include "bridge/amqp/link_metrics.hpp"
#include "schemas/control.hpp"

namespace tradewind::amqp::impl {

reconnector::reconnector(std::string actor, std::string role, const amqp_config& cfg, node_context& ctx,
                         caf::group alerts, connection_metrics* metrics)
  : actor_(std::move(actor)), role_(std::move(role)), cfg_(cfg), ctx_(ctx), alerts_(std::move(alerts)),
    metrics_(metrics), connect_failures_(cfg.connect_alert_interval_ms), backoff_ms_(cfg.reconnect_initial_ms) {}

void reconnector::failed(const std::string& error) {
  if (metrics_ != nullptr)
    metrics_->set_connected(false, false);
  std::string text = role_ + ": " + error + "; retrying in " + std::to_string(backoff_ms_) + " ms";
  if (connect_failures_.failure(ctx_.wall_clock_ms()))
    raise(severity::warning, "amqp_connect_failed", text + connect_failures_.note());
  else
    ctx_.log->warn("event=amqp_connect_failed actor={} alerted=false detail=\"{}\"", actor_, text);
  next_attempt_ = clock::now() + std::chrono::milliseconds(backoff_ms_);
  backoff_ms_ = std::min(backoff_ms_ * 2, cfg_.reconnect_max_ms);
  was_down_ = true;
}

void reconnector::connected(const std::string& where) {
  backoff_ms_ = cfg_.reconnect_initial_ms;
  if (metrics_ != nullptr)
    metrics_->set_connected(true, was_down_);
  connect_failures_.success();
  if (was_down_)
    raise(severity::info, "amqp_reconnected", role_ + " reconnected to " + where);
  else
    ctx_.log->info("event=amqp_connected actor={} where=\"{}\"", actor_, where);
  was_down_ = false;
}

void reconnector::lost(const std::string& why) {
  raise(severity::warning, "amqp_connection_lost", role_ + ": " + why);
  if (metrics_ != nullptr)
    metrics_->set_connected(false, false);
  was_down_ = true;
  next_attempt_ = clock::now() + std::chrono::milliseconds(backoff_ms_);
}

void reconnector::raise(severity level, const std::string& code, const std::string& text) {
  if (level == severity::info)
    ctx_.log->info("event={} actor={} detail=\"{}\"", code, actor_, text);
  else
    ctx_.log->warn("event={} actor={} detail=\"{}\"", code, actor_, text);
  caf::anon_send(alerts_, alert{level, code, actor_, text, ctx_.wall_clock_ms()});
}

} // namespace tradewind::amqp::impl
