#include "config/impl/decode.hpp"

#include <filesystem>

namespace tradewind::config_impl {

namespace {

void read_node(map_reader r, node_config& cfg) {
  r.get("name", cfg.node_name);
  r.get("threads", cfg.threads);
  r.done();
}

void read_log(map_reader r, log_config& cfg) {
  r.get("level", cfg.level);
  r.get("format", cfg.format);
  r.done();
}

std::string resolve(const std::string& base_dir, const std::string& path) {
  if (path.empty())
    return path;
  std::filesystem::path p(path);
  if (p.is_relative())
    p = std::filesystem::path(base_dir) / p;
  return p.lexically_normal().string();
}

void read_feed(map_reader& r, feed_config& cfg, const std::string& base_dir) {
  r.get("symbol", cfg.symbol);
  r.get("path", cfg.path);
  cfg.path = resolve(base_dir, cfg.path);
  r.get("format", cfg.format);
}

void read_synthetic(map_reader r, synthetic_config& cfg) {
  r.get("symbols", cfg.symbols);
  r.get("seed", cfg.seed);
  r.get("start_price", cfg.start_price);
  r.get("volatility_bps", cfg.volatility_bps);
  r.get("interval_ms", cfg.interval_ms);
  r.get("bars", cfg.bars);
  r.get("start_time_ms", cfg.start_time_ms);
  r.done();
}

void read_collector(map_reader r, collector_config& cfg, const std::string& base_dir) {
  r.get("mode", cfg.mode);
  r.list("feeds", cfg.feeds, [&](map_reader& item, feed_config& feed) { read_feed(item, feed, base_dir); });
  read_synthetic(r.section("synthetic"), cfg.synthetic);
  r.get("speed", cfg.speed);
  r.get("max_ahead", cfg.max_ahead);
  r.done();
}

void read_strategy(map_reader& r, strategy_config& cfg) {
  r.get("id", cfg.id);
  r.get("type", cfg.type);
  r.get("symbols", cfg.symbols);
  r.get("fast", cfg.fast);
  r.get("slow", cfg.slow);
  r.get("order_notional", cfg.order_notional);
  r.get("qty_step", cfg.qty_step);
  r.get("allow_short", cfg.allow_short);
  r.get("enabled", cfg.enabled);
}

void read_risk(map_reader r, risk_config& cfg) {
  r.get("max_position_pct", cfg.max_position_pct);
  r.get("max_order_notional", cfg.max_order_notional);
  r.get("max_open_orders", cfg.max_open_orders);
  r.get("price_collar_bps", cfg.price_collar_bps);
  r.get("max_orders_per_window", cfg.max_orders_per_window);
  r.get("rate_window_ms", cfg.rate_window_ms);
  r.get("daily_loss_limit_pct", cfg.daily_loss_limit_pct);
  r.get("max_drawdown_pct", cfg.max_drawdown_pct);
  r.done();
}

void read_executor(map_reader r, executor_config& cfg) {
  r.get("fee_bps", cfg.fee_bps);
  r.get("slippage_bps", cfg.slippage_bps);
  r.get("max_participation_pct", cfg.max_participation_pct);
  r.done();
}

void read_portfolio(map_reader r, portfolio_config& cfg) {
  r.get("initial_cash", cfg.initial_cash);
  r.get("quote_currency", cfg.quote_currency);
  r.done();
}

void read_webhook(map_reader& r, webhook_config& cfg) {
  r.get("url", cfg.url);
  r.get("min_severity", cfg.min_severity);
  r.get("max_retries", cfg.max_retries);
  r.get("initial_backoff_ms", cfg.initial_backoff_ms);
  r.get("timeout_ms", cfg.timeout_ms);
  r.get("headers", cfg.headers);
}

void read_notifier(map_reader r, notifier_config& cfg) {
  r.get("log_min_severity", cfg.log_min_severity);
  r.list("webhooks", cfg.webhooks, read_webhook);
  r.done();
}

void read_store(map_reader r, store_config& cfg) {
  r.get("url", cfg.url);
  r.get("batch_size", cfg.batch_size);
  r.get("flush_interval_ms", cfg.flush_interval_ms);
  r.get("pool_size", cfg.pool_size);
  r.get("connect_timeout_ms", cfg.connect_timeout_ms);
  r.get("max_pending_records", cfg.max_pending_records);
  r.done();
}

void read_supervisor(map_reader r, supervisor_config& cfg) {
  r.get("max_restarts", cfg.max_restarts);
  r.get("window_ms", cfg.window_ms);
  r.get("initial_backoff_ms", cfg.initial_backoff_ms);
  r.get("max_backoff_ms", cfg.max_backoff_ms);
  r.done();
}

void read_bridge_tls(map_reader r, bridge_tls_config& cfg, const std::string& base_dir) {
  r.get("cert_file", cfg.cert_file);
  cfg.cert_file = resolve(base_dir, cfg.cert_file);
  r.get("key_file", cfg.key_file);
  cfg.key_file = resolve(base_dir, cfg.key_file);
  r.get("min_version", cfg.min_version);
  r.done();
}

void read_bridge(map_reader r, bridge_config& cfg, const std::string& base_dir) {
  r.get("enabled", cfg.enabled);
  r.get("listen_address", cfg.listen_address);
  r.get("port", cfg.port);
  r.get("keys_file", cfg.keys_file);
  cfg.keys_file = resolve(base_dir, cfg.keys_file);
  r.get("audit_log", cfg.audit_log);
  r.get("rate_limit_per_s", cfg.rate_limit_per_s);
  r.get("burst", cfg.burst);
  r.get("preauth_rate_limit_per_s", cfg.preauth_rate_limit_per_s);
  r.get("preauth_burst", cfg.preauth_burst);
  r.get("max_connections", cfg.max_connections);
  r.get("max_body_bytes", cfg.max_body_bytes);
  r.get("request_timeout_ms", cfg.request_timeout_ms);
  r.get("ws_queue_limit", cfg.ws_queue_limit);
  read_bridge_tls(r.section("tls"), cfg.tls, base_dir);
  r.done();
}

void read_amqp(map_reader r, amqp_config& cfg) {
  r.get("url", cfg.url);
  r.get("prefetch", cfg.prefetch);
  r.get("confirm_batch", cfg.confirm_batch);
  r.get("max_in_flight", cfg.max_in_flight);
  r.get("heartbeat_s", cfg.heartbeat_s);
  r.get("reconnect_initial_ms", cfg.reconnect_initial_ms);
  r.get("reconnect_max_ms", cfg.reconnect_max_ms);
  r.get("dedupe_window", cfg.dedupe_window);
  r.get("connect_alert_interval_ms", cfg.connect_alert_interval_ms);
  r.get("membership_interval_ms", cfg.membership_interval_ms);
  r.get("membership_lost_after", cfg.membership_lost_after);
  r.done();
}

} // namespace

node_config decode_node_config(const YAML::Node& root, const std::string& base_dir, read_context& ctx) {
  node_config cfg;
  map_reader top(ctx, root, "");
  read_node(top.section("node"), cfg);
  read_log(top.section("log"), cfg.log);
  read_collector(top.section("collector"), cfg.collector, base_dir);
  top.list("strategies", cfg.strategies, read_strategy);
  read_risk(top.section("risk"), cfg.risk);
  read_executor(top.section("executor"), cfg.executor);
  read_portfolio(top.section("portfolio"), cfg.portfolio);
  read_notifier(top.section("notifier"), cfg.notifier);
  read_store(top.section("store"), cfg.store);
  read_supervisor(top.section("supervisor"), cfg.supervisor);
  read_bridge(top.section("bridge"), cfg.bridge, base_dir);
  read_amqp(top.section("amqp"), cfg.amqp);
  top.done();
  return cfg;
}

} // namespace tradewind::config_impl
