#include "config/validate.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>

#include <arpa/inet.h>

#include "config/impl/text.hpp"
#include "config/impl/tls_files.hpp"

namespace tradewind {

namespace {

using config_impl::join_index;
using config_impl::join_key;
using config_impl::join_names;
using config_impl::shown_number;
using config_impl::shown_text;

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

/// True when `inner` is `outer` or lies below it (`outer.x`, `outer[3]`).
bool within(std::string_view inner, std::string_view outer) {
  if (!starts_with(inner, outer))
    return false;
  return inner.size() == outer.size() || inner[outer.size()] == '.' || inner[outer.size()] == '[';
}

std::string text_of(fixed v) {
  return v.to_string();
}

template <class Int>
std::string text_of(Int v) {
  return std::to_string(v);
}

/// Records violations, skipping keys whose YAML value could not be decoded (their struct
/// field still holds the default, so a rule on it would report a phantom problem).
class checker {
public:
  checker(const std::set<std::string>& undecodable, std::vector<config_error>& out)
    : undecodable_(undecodable), out_(out) {}

  /// False when `path`, a parent or a child of it failed to decode.
  bool usable(const std::string& path) const {
    return std::none_of(undecodable_.begin(), undecodable_.end(), [&](const std::string& bad) {
      return within(bad, path) || within(path, bad);
    });
  }

  /// False when `path` itself or one of its parents failed to decode.
  bool decoded(const std::string& path) const {
    return std::none_of(undecodable_.begin(), undecodable_.end(),
                        [&](const std::string& bad) { return within(path, bad); });
  }

  void fail(const std::string& path, std::string reason) { out_.push_back(config_error{path, std::move(reason), {}, 0, 0}); }

  template <class T>
  void greater_than(const std::string& path, T value, T bound) {
    if (usable(path) && !(value > bound))
      fail(path, "must be > " + text_of(bound) + ", got " + shown_number(path, text_of(value)));
  }

  template <class T>
  void at_least(const std::string& path, T value, T bound) {
    if (usable(path) && value < bound)
      fail(path, "must be >= " + text_of(bound) + ", got " + shown_number(path, text_of(value)));
  }

  template <class T>
  void in_closed(const std::string& path, T value, T lo, T hi) {
    if (usable(path) && (value < lo || value > hi))
      fail(path, "must be in [" + text_of(lo) + ", " + text_of(hi) + "], got " + shown_number(path, text_of(value)));
  }

  /// (lo, hi]: used for percentages (0, 100] and bps (0, 1000].
  template <class T>
  void in_open_closed(const std::string& path, T value, T lo, T hi) {
    if (usable(path) && (value <= lo || value > hi))
      fail(path, "must be in (" + text_of(lo) + ", " + text_of(hi) + "], got " + shown_number(path, text_of(value)));
  }

  void percent(const std::string& path, fixed value) {
    in_open_closed(path, value, fixed::from_int<0>(), fixed::from_int<100>());
  }

  void one_of(const std::string& path, const std::string& value, const std::vector<std::string>& names) {
    if (usable(path) && std::find(names.begin(), names.end(), value) == names.end())
      fail(path, "must be one of " + join_names(names, "|") + ", got " + shown_text(path, value));
  }

  void required(const std::string& path, const std::string& value) {
    if (usable(path) && value.empty())
      fail(path, "is required");
  }

  /// Each non-empty name at most once; `what` names the list in the message.
  void unique(const std::string& list_path, const std::vector<std::string>& names, const char* item_key) {
    std::map<std::string, std::string> first;
    for (size_t i = 0; i < names.size(); ++i) {
      std::string path = item_key ? join_index(list_path, i) + "." + item_key : join_index(list_path, i);
      if (names[i].empty() || !usable(path))
        continue;
      auto [it, inserted] = first.emplace(names[i], path);
      if (!inserted)
        fail(path, "duplicate " + shown_text(path, names[i]) + " (also " + it->second + ")");
    }
  }

private:
  const std::set<std::string>& undecodable_;
  std::vector<config_error>& out_;
};

void check_node(checker& c, const node_config& cfg) {
  c.required("node.name", cfg.node_name);
  c.in_closed("node.threads", cfg.threads, 1, 64);
  c.one_of("log.level", cfg.log.level, {"trace", "debug", "info", "warn", "error"});
  c.one_of("log.format", cfg.log.format, {"text", "json"});
}

/// Why `path` cannot be read, or empty when it is a readable regular file.
std::string unreadable_reason(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    return "is a directory";
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f)
    return std::strerror(errno);
  std::fclose(f);
  return {};
}

void check_feeds(checker& c, const collector_config& cfg) {
  bool replay = c.usable("collector.mode") && cfg.mode == "replay";
  if (replay && c.usable("collector.feeds") && cfg.feeds.empty())
    c.fail("collector.feeds", "replay mode needs at least one feed");
  std::vector<std::string> symbols;
  for (size_t i = 0; i < cfg.feeds.size(); ++i) {
    const auto& feed = cfg.feeds[i];
    std::string base = join_index("collector.feeds", i);
    c.required(base + ".symbol", feed.symbol);
    c.required(base + ".path", feed.path);
    symbols.push_back(feed.symbol);
    // Files matter only when they are replayed.
    if (replay && !feed.path.empty() && c.usable(base + ".path")) {
      std::string reason = unreadable_reason(feed.path);
      if (!reason.empty())
        c.fail(base + ".path", "cannot read " + feed.path + ": " + reason);
    }
  }
  c.unique("collector.feeds", symbols, "symbol");
}

void check_synthetic(checker& c, const collector_config& cfg) {
  const auto& syn = cfg.synthetic;
  const std::string base = "collector.synthetic";
  if (c.usable("collector.mode") && cfg.mode == "synthetic" && c.usable(base + ".symbols") && syn.symbols.empty())
    c.fail(base + ".symbols", "synthetic mode needs at least one symbol");
  for (size_t i = 0; i < syn.symbols.size(); ++i)
    c.required(join_index(base + ".symbols", i), syn.symbols[i]);
  c.unique(base + ".symbols", syn.symbols, nullptr);
  c.greater_than(base + ".start_price", syn.start_price, fixed{});
  c.in_open_closed(base + ".volatility_bps", syn.volatility_bps, fixed{}, fixed::from_int<1000>());
  c.greater_than(base + ".interval_ms", syn.interval_ms, int64_t{0});
}

void check_collector(checker& c, const collector_config& cfg) {
  c.one_of("collector.mode", cfg.mode, {"replay", "synthetic"});
  check_feeds(c, cfg);
  check_synthetic(c, cfg);
  c.at_least("collector.speed", cfg.speed, fixed{});
  c.at_least("collector.max_ahead", cfg.max_ahead, uint64_t{1});
}

bool valid_strategy_id(const std::string& id) {
  return std::all_of(id.begin(), id.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
  });
}

/// The symbols strategies may trade, with the name of their source, or nullopt when the
/// collector section is itself broken (then symbol checks would only add noise).
std::optional<std::pair<std::vector<std::string>, std::string>> tradable_symbols(const checker& c,
                                                                                 const collector_config& cfg) {
  if (!c.usable("collector.mode"))
    return std::nullopt;
  if (cfg.mode == "replay" && c.usable("collector.feeds")) {
    std::vector<std::string> symbols;
    for (const auto& feed : cfg.feeds)
      symbols.push_back(feed.symbol);
    return std::make_pair(symbols, std::string("feed symbols"));
  }
  if (cfg.mode == "synthetic" && c.usable("collector.synthetic.symbols"))
    return std::make_pair(cfg.synthetic.symbols, std::string("synthetic symbols"));
  return std::nullopt;
}

void check_strategy_params(checker& c, const strategy_params& p, const std::string& base) {
  auto key = [&](std::string_view name) { return join_key(base, name); };
  c.at_least(key("fast"), p.fast, 1);
  if (c.usable(key("fast")) && c.usable(key("slow")) && p.slow <= p.fast)
    c.fail(key("slow"), "must be > fast (" + std::to_string(p.fast) + "), got " + std::to_string(p.slow));
  c.greater_than(key("order_notional"), p.order_notional, fixed{});
  c.greater_than(key("qty_step"), p.qty_step, fixed{});
}

void check_strategy(checker& c, const strategy_config& s, const std::string& base,
                    const std::optional<std::pair<std::vector<std::string>, std::string>>& tradable) {
  c.required(base + ".id", s.id);
  if (!s.id.empty() && c.usable(base + ".id") && !valid_strategy_id(s.id))
    c.fail(base + ".id", "must match [a-z0-9_-]+, got " + shown_text(base + ".id", s.id));
  c.one_of(base + ".type", s.type, {"ma_crossover"});
  if (tradable && c.usable(base + ".symbols")) {
    const auto& [known, source] = *tradable;
    for (size_t j = 0; j < s.symbols.size(); ++j) {
      if (std::find(known.begin(), known.end(), s.symbols[j]) == known.end()) {
        std::string path = join_index(base + ".symbols", j);
        c.fail(path, "unknown symbol " + shown_text(path, s.symbols[j]) + " (" + source + ": "
                       + (known.empty() ? std::string("none") : join_names(known, ", ")) + ")");
      }
    }
  }
  check_strategy_params(c, s, base);
}

void check_strategies(checker& c, const node_config& cfg) {
  auto tradable = tradable_symbols(c, cfg.collector);
  std::vector<std::string> ids;
  bool any_enabled = false;
  bool enabled_known = c.decoded("strategies");
  for (size_t i = 0; i < cfg.strategies.size(); ++i) {
    const auto& s = cfg.strategies[i];
    std::string base = join_index("strategies", i);
    check_strategy(c, s, base, tradable);
    ids.push_back(s.id);
    any_enabled = any_enabled || s.enabled;
    enabled_known = enabled_known && c.decoded(base + ".enabled");
  }
  c.unique("strategies", ids, "id");
  if (enabled_known && !any_enabled)
    c.fail("strategies", "at least one enabled strategy is required");
}

void check_risk(checker& c, const risk_config& r, const std::string& base) {
  auto key = [&](std::string_view name) { return join_key(base, name); };
  c.percent(key("max_position_pct"), r.max_position_pct);
  c.greater_than(key("max_order_notional"), r.max_order_notional, fixed{});
  c.at_least(key("max_open_orders"), r.max_open_orders, 1);
  c.greater_than(key("price_collar_bps"), r.price_collar_bps, int64_t{0});
  c.at_least(key("max_orders_per_window"), r.max_orders_per_window, 1);
  c.greater_than(key("rate_window_ms"), r.rate_window_ms, int64_t{0});
  c.percent(key("daily_loss_limit_pct"), r.daily_loss_limit_pct);
  c.percent(key("max_drawdown_pct"), r.max_drawdown_pct);
}

void check_executor_and_portfolio(checker& c, const node_config& cfg) {
  c.in_closed("executor.fee_bps", cfg.executor.fee_bps, int64_t{0}, int64_t{1000});
  c.in_closed("executor.slippage_bps", cfg.executor.slippage_bps, int64_t{0}, int64_t{1000});
  c.percent("executor.max_participation_pct", cfg.executor.max_participation_pct);
  c.greater_than("portfolio.initial_cash", cfg.portfolio.initial_cash, fixed{});
  c.required("portfolio.quote_currency", cfg.portfolio.quote_currency);
}

/// True for http://host[:port][/path] with a non-empty host and a port in 1..65535.
bool valid_http_url(const std::string& url) {
  const std::string scheme = "http://";
  if (!starts_with(url, scheme))
    return false;
  std::string authority = url.substr(scheme.size(), url.find('/', scheme.size()) - scheme.size());
  std::string host = authority.substr(0, authority.find(':'));
  if (host.empty() || host.find_first_of("@?# ") != std::string::npos)
    return false;
  if (host.size() == authority.size())
    return true;
  std::string port = authority.substr(host.size() + 1);
  if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), ::isdigit))
    return false;
  long n = std::stol(port);
  return n >= 1 && n <= 65535;
}

void check_notifier(checker& c, const notifier_config& cfg) {
  for (size_t i = 0; i < cfg.webhooks.size(); ++i) {
    const auto& hook = cfg.webhooks[i];
    std::string base = join_index("notifier.webhooks", i);
    // URLs are not echoed: webhook URLs often embed an access token.
    if (hook.url.empty())
      c.required(base + ".url", hook.url);
    else if (c.usable(base + ".url") && !valid_http_url(hook.url))
      c.fail(base + ".url", starts_with(hook.url, "https://")
                              ? "must be http://host[:port]/path (https is not supported yet)"
                              : "must be http://host[:port]/path");
    c.in_closed(base + ".max_retries", hook.max_retries, 0, 10);
    c.greater_than(base + ".initial_backoff_ms", hook.initial_backoff_ms, int64_t{0});
    c.greater_than(base + ".timeout_ms", hook.timeout_ms, int64_t{0});
    // Header values are secrets (Authorization): rules are stated, values never shown.
    static const std::string tchar = "!#$%&'*+-.^_`|~";
    for (const auto& [name, value] : hook.headers) {
      auto path = base + ".headers." + name;
      bool token = !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char ch) {
        return std::isalnum(ch) || tchar.find(static_cast<char>(ch)) != std::string::npos;
      });
      if (!token)
        c.fail(base + ".headers", "header names must be HTTP tokens (letters, digits, -, _, …)");
      else if (value.find_first_of(std::string{"\r\n\0", 3}) != std::string::npos)
        c.fail(path, "must not contain a line break");
    }
  }
}

void check_store(checker& c, const store_config& cfg) {
  // The URL is not echoed: a PostgreSQL URL carries a password.
  if (c.usable("store.url")) {
    std::string_view pg_scheme = starts_with(cfg.url, "postgresql://") ? "postgresql://"
                                 : starts_with(cfg.url, "postgres://") ? "postgres://"
                                                                       : "";
    if (!pg_scheme.empty()) {
      auto rest = std::string_view{cfg.url}.substr(pg_scheme.size());
      auto host = rest.substr(0, rest.find_first_of("/?"));
      host = host.substr(host.rfind('@') == std::string_view::npos ? 0 : host.rfind('@') + 1);
      if (host.empty())
        c.fail("store.url", "postgresql:// needs a host (e.g. postgresql://user:pass@host:5432/db)");
    } else if (!starts_with(cfg.url, "sqlite:")) {
      c.fail("store.url", "must start with sqlite: or postgresql:// (e.g. sqlite:tradewind.db)");
    } else if (cfg.url.size() == std::string("sqlite:").size()) {
      c.fail("store.url", "sqlite: needs a database file path (e.g. sqlite:tradewind.db)");
    }
  }
  c.at_least("store.batch_size", cfg.batch_size, 1);
  c.greater_than("store.flush_interval_ms", cfg.flush_interval_ms, int64_t{0});
  c.at_least("store.pool_size", cfg.pool_size, 1);
  c.greater_than("store.connect_timeout_ms", cfg.connect_timeout_ms, int64_t{0});
  c.at_least("store.max_pending_records", cfg.max_pending_records, int64_t{1});
}

void check_supervisor(checker& c, const supervisor_config& cfg) {
  c.at_least("supervisor.max_restarts", cfg.max_restarts, 1);
  c.greater_than("supervisor.window_ms", cfg.window_ms, int64_t{0});
  c.greater_than("supervisor.initial_backoff_ms", cfg.initial_backoff_ms, int64_t{0});
  if (c.usable("supervisor.max_backoff_ms") && c.usable("supervisor.initial_backoff_ms")
      && cfg.max_backoff_ms < cfg.initial_backoff_ms)
    c.fail("supervisor.max_backoff_ms", "must be >= initial_backoff_ms (" + std::to_string(cfg.initial_backoff_ms)
                                          + "), got " + std::to_string(cfg.max_backoff_ms));
}

/// True for a numeric IPv4 or IPv6 address (the bridge binds it; host names are not resolved).
bool valid_ip_literal(const std::string& text) {
  unsigned char buf[sizeof(in6_addr)];
  return inet_pton(AF_INET, text.c_str(), buf) == 1 || inet_pton(AF_INET6, text.c_str(), buf) == 1;
}

/// Both files or neither; when both are set and decoded, the files themselves.
void check_bridge_tls(checker& c, const bridge_tls_config& cfg) {
  c.one_of("bridge.tls.min_version", cfg.min_version, {"1.2", "1.3"});
  if (!c.usable("bridge.tls.cert_file") || !c.usable("bridge.tls.key_file"))
    return;
  if (cfg.cert_file.empty() && !cfg.key_file.empty())
    c.fail("bridge.tls.cert_file",
           "is required when bridge.tls.key_file is set (set both to serve HTTPS, neither for plain HTTP)");
  if (!cfg.cert_file.empty() && cfg.key_file.empty())
    c.fail("bridge.tls.key_file",
           "is required when bridge.tls.cert_file is set (set both to serve HTTPS, neither for plain HTTP)");
  if (cfg.cert_file.empty() || cfg.key_file.empty())
    return;
  for (auto& problem : config_impl::check_tls_files(cfg.cert_file, cfg.key_file))
    c.fail(problem.path, std::move(problem.reason));
}

void check_bridge(checker& c, const bridge_config& cfg) {
  if (c.usable("bridge.listen_address") && !valid_ip_literal(cfg.listen_address))
    c.fail("bridge.listen_address", "must be an IPv4 or IPv6 address (e.g. 127.0.0.1), got "
                                      + shown_text("bridge.listen_address", cfg.listen_address));
  c.in_closed("bridge.port", cfg.port, 0, 65535);
  c.greater_than("bridge.rate_limit_per_s", cfg.rate_limit_per_s, int64_t{0});
  c.at_least("bridge.burst", cfg.burst, int64_t{1});
  c.greater_than("bridge.preauth_rate_limit_per_s", cfg.preauth_rate_limit_per_s, int64_t{0});
  c.at_least("bridge.preauth_burst", cfg.preauth_burst, int64_t{1});
  c.in_closed("bridge.max_connections", cfg.max_connections, int64_t{1}, int64_t{100'000});
  c.greater_than("bridge.max_body_bytes", cfg.max_body_bytes, int64_t{0});
  c.greater_than("bridge.request_timeout_ms", cfg.request_timeout_ms, int64_t{0});
  c.at_least("bridge.ws_queue_limit", cfg.ws_queue_limit, int64_t{1});
  if (cfg.enabled && c.usable("bridge.audit_log") && cfg.audit_log.empty())
    c.fail("bridge.audit_log", "is required when bridge.enabled is true");
  check_bridge_tls(c, cfg.tls);
}

void check_amqp(checker& c, const amqp_config& cfg) {
  // The URL is never echoed: it carries the broker password.
  if (c.usable("amqp.url")) {
    if (starts_with(cfg.url, "amqps://"))
      c.fail("amqp.url", "amqps:// is not supported yet (use amqp://user:pass@host:port/)");
    else if (!starts_with(cfg.url, "amqp://") || cfg.url.size() == std::string("amqp://").size())
      c.fail("amqp.url", "must be amqp://user:pass@host:port/");
  }
  c.in_closed("amqp.prefetch", cfg.prefetch, 1, 65535);
  c.at_least("amqp.max_in_flight", cfg.max_in_flight, 1);
  c.at_least("amqp.confirm_batch", cfg.confirm_batch, 1);
  if (c.usable("amqp.confirm_batch") && c.usable("amqp.max_in_flight") && cfg.confirm_batch > cfg.max_in_flight)
    c.fail("amqp.confirm_batch", "must be <= max_in_flight (" + std::to_string(cfg.max_in_flight) + "), got "
                                   + std::to_string(cfg.confirm_batch));
  c.in_closed("amqp.heartbeat_s", cfg.heartbeat_s, 1, 600);
  c.greater_than("amqp.reconnect_initial_ms", cfg.reconnect_initial_ms, int64_t{0});
  if (c.usable("amqp.reconnect_max_ms") && c.usable("amqp.reconnect_initial_ms")
      && cfg.reconnect_max_ms < cfg.reconnect_initial_ms)
    c.fail("amqp.reconnect_max_ms", "must be >= reconnect_initial_ms (" + std::to_string(cfg.reconnect_initial_ms)
                                      + "), got " + std::to_string(cfg.reconnect_max_ms));
  c.at_least("amqp.dedupe_window", cfg.dedupe_window, int64_t{1});
  c.at_least("amqp.connect_alert_interval_ms", cfg.connect_alert_interval_ms, int64_t{0});
  c.in_closed("amqp.membership_interval_ms", cfg.membership_interval_ms, int64_t{100}, int64_t{600'000});
  c.in_closed("amqp.membership_lost_after", cfg.membership_lost_after, 2, 100);
}

} // namespace

std::vector<config_error> validate_config(const node_config& cfg, const std::set<std::string>& undecodable) {
  std::vector<config_error> errors;
  checker c(undecodable, errors);
  check_node(c, cfg);
  check_collector(c, cfg.collector);
  check_strategies(c, cfg);
  check_risk(c, cfg.risk, "risk");
  check_executor_and_portfolio(c, cfg);
  check_notifier(c, cfg.notifier);
  check_store(c, cfg.store);
  check_supervisor(c, cfg.supervisor);
  check_bridge(c, cfg.bridge);
  check_amqp(c, cfg.amqp);
  return errors;
}

std::vector<config_error> validate_risk_limits(const risk_config& limits, const std::string& base) {
  std::vector<config_error> errors;
  const std::set<std::string> none;
  checker c(none, errors);
  check_risk(c, limits, base);
  return errors;
}

std::vector<config_error> validate_strategy_params(const strategy_params& params, const std::string& base) {
  std::vector<config_error> errors;
  const std::set<std::string> none;
  checker c(none, errors);
  check_strategy_params(c, params, base);
  return errors;
}

} // namespace tradewind
