#include "bridge/rest/api.hpp"

#include <algorithm>
#include <cctype>
#include <tuple>
#include <atomic>
#include <chrono>
#include <limits>
#include <map>
#include <mutex>
#include <set>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "bridge/metrics/node_metrics.hpp"
#include "bridge/rest/api_keys.hpp"
#include "bridge/rest/audit_log.hpp"
#include "bridge/rest/bridge_state.hpp"
#include "bridge/rest/openapi.hpp"
#include "bridge/rest/rate_limiter.hpp"
#include "bridge/rest/store_reader.hpp"
#include "config/validate.hpp"
#include "schemas/indicators.hpp"
#include "schemas/json/codec.hpp"
#include "schemas/json/strict.hpp"

namespace tradewind::rest {

using nlohmann::json;

std::string_view to_string(access a) {
  switch (a) {
    case access::open: return "open";
    case access::read: return "read";
    case access::trade: return "trade";
    case access::admin: return "admin";
  }
  return "open";
}

namespace {

std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

/// A schema message as a JSON value (same text as on the wire).
template <class T>
json to_value(const T& x) {
  return json::parse(tradewind::json::to_json(x));
}

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

std::optional<std::string> url_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      if (i + 2 >= s.size())
        return std::nullopt;
      int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0)
        return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (s[i] == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += s[i];
    }
  }
  return out;
}

/// Segments of a path that starts with '/' ("/a/b" -> a, b; "/" -> one empty segment).
std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 1;
  while (start <= path.size()) {
    auto end = path.find('/', start);
    if (end == std::string::npos)
      end = path.size();
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

/// A request that matched a route.
struct call {
  const http_request& req;
  std::map<std::string, std::string> params; ///< path parameters
  std::vector<std::pair<std::string, std::string>> query;
  std::string key_id; ///< "" for open routes
  std::string* audit_change; ///< set by update handlers: {"old": …, "new": …} for the audit log

  std::optional<std::string> q(const std::string& name) const {
    for (const auto& [k, v] : query)
      if (k == name)
        return v;
    return std::nullopt;
  }
};

/// Thrown by handlers for a 4xx answer; caught in api::handle.
struct api_error {
  http_response response;
};

[[noreturn]] void fail(int status, const std::string& slug, const std::string& title, const std::string& detail) {
  throw api_error{problem(status, slug, title, detail)};
}

/// Client-supplied text in an error message, cut so a reply never echoes a whole payload.
std::string clip(const std::string& s, size_t max_chars = 64) {
  return s.size() <= max_chars ? s : s.substr(0, max_chars) + "...";
}

using handler = std::function<http_response(const call&)>;

struct route {
  route_info info;
  std::vector<std::string> segments;
  handler run;
};

int64_t int_param(const call& c, const std::string& name, int64_t def, int64_t lo, int64_t hi) {
  auto v = c.q(name);
  if (!v)
    return def;
  try {
    size_t used = 0;
    auto n = std::stoll(*v, &used);
    if (used == v->size() && n >= lo && n <= hi)
      return n;
  } catch (const std::exception&) {
  }
  fail(400, "invalid-parameter", "Invalid query parameter",
       "query parameter '" + name + "' must be an integer in [" + std::to_string(lo) + ", "
         + std::to_string(hi) + "]");
}

/// Applies limit/offset and wraps items as {items,total,limit,offset}.
http_response page(const call& c, std::vector<json> items) {
  auto limit = int_param(c, "limit", 100, 1, 1000);
  auto offset = int_param(c, "offset", 0, 0, 1'000'000'000);
  json out{{"total", items.size()}, {"limit", limit}, {"offset", offset}, {"items", json::array()}};
  for (size_t i = static_cast<size_t>(offset); i < items.size() && out["items"].size() < static_cast<size_t>(limit); ++i)
    out["items"].push_back(std::move(items[i]));
  return json_response(200, dump(out));
}

/// The body as JSON, parsed strictly (schemas/json/strict.hpp): too deep, duplicate keys and
/// malformed text are 400s, a number beyond a double a 422 naming the field.
json parse_body(const call& c) {
  if (c.req.body.empty())
    fail(400, "malformed-json", "Malformed JSON", "the request body is empty; expected a JSON object");
  json body;
  if (auto err = tradewind::json::parse_strict(c.req.body, body)) {
    using tradewind::json::parse_failure;
    switch (err->kind) {
      case parse_failure::too_deep:
        fail(400, "json-too-deep", "JSON nested too deeply", "the request body is rejected: " + err->message());
      case parse_failure::duplicate_key:
        fail(400, "duplicate-key", "Duplicate JSON key",
             "the request body names a key twice (" + err->message() + "); send each field once");
      case parse_failure::number_out_of_range:
        fail(422, "invalid-field", "Invalid field", err->message());
      case parse_failure::malformed:
        break;
    }
    fail(400, "malformed-json", "Malformed JSON", "the request body is " + err->reason);
  }
  if (!body.is_object())
    fail(400, "malformed-json", "Malformed JSON", "the request body must be a JSON object");
  return body;
}

[[noreturn]] void invalid_field(const std::string& field, const std::string& why) {
  fail(422, "invalid-field", "Invalid field", "field '" + clip(field) + "' " + why);
}

/// The 422 for a money or decimal field sent as a JSON number.
[[noreturn]] void decimal_as_number(const std::string& field) {
  invalid_field(field, "must be a decimal string such as \"0.5\", got a JSON number (decimals travel as strings so "
                       "no digit is lost to floating point)");
}

void only_fields(const json& body, std::initializer_list<const char*> allowed) {
  for (auto it = body.begin(); it != body.end(); ++it)
    if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return it.key() == a; })) {
      std::string names;
      for (auto* a : allowed)
        names += (names.empty() ? "" : ", ") + std::string{a};
      invalid_field(it.key(), "is unknown (expected " + names + ")");
    }
}

/// `current` with the fields named in `body` replaced, decoded strictly by the schema codec:
/// unknown fields, wrong JSON types and out-of-range integers are 422s naming the field.
/// Decimals are JSON strings only (a number is a 422, as in POST /orders).
template <class T>
T patched(const T& current, const json& body) {
  using ordered = nlohmann::ordered_json; // field names listed in struct order
  auto merged = ordered::parse(tradewind::json::to_json(current));
  for (auto it = body.begin(); it != body.end(); ++it) {
    if (!merged.contains(it.key())) {
      std::string names;
      for (auto f = merged.begin(); f != merged.end(); ++f)
        names += (names.empty() ? "" : ", ") + f.key();
      invalid_field(it.key(), "is unknown (expected " + names + ")");
    }
    if (merged[it.key()].is_string() && it.value().is_number())
      decimal_as_number(it.key());
    merged[it.key()] = ordered(it.value()); // depth bounded by the strict parse of the body
  }
  auto decoded = tradewind::json::from_json<T>(merged.dump());
  if (!decoded)
    fail(422, "invalid-field", "Invalid field", decoded.error().message());
  return decoded.value();
}

/// 422 listing every rule `errors` reports (paths are the body's field names).
void reject_invalid(const std::vector<config_error>& errors) {
  if (errors.empty())
    return;
  std::string detail;
  for (const auto& e : errors)
    detail += (detail.empty() ? "" : "; ") + ("field '" + e.path + "' " + e.reason);
  fail(422, "invalid-field", "Invalid field", detail);
}

void require_some_field(const json& body, const std::string& expected) {
  if (body.empty())
    fail(422, "invalid-field", "Invalid field", "the body names no field; expected one or more of " + expected);
}

std::optional<std::string> string_field(const json& body, const char* name, bool required) {
  if (!body.contains(name)) {
    if (required)
      invalid_field(name, "is required");
    return std::nullopt;
  }
  if (!body[name].is_string())
    invalid_field(name, std::string{"must be a string, got "} + body[name].type_name());
  return body[name].get<std::string>();
}

template <class Enum>
std::optional<Enum> enum_field(const json& body, const char* name, bool required, const char* names) {
  auto text = string_field(body, name, required);
  if (!text)
    return std::nullopt;
  auto v = enum_from_string<Enum>(*text);
  if (!v)
    invalid_field(name, "must be one of " + std::string{names} + ", got '" + clip(*text) + "'");
  return v;
}

/// A decimal given as a JSON string ("0.5"); a JSON number is refused (it may already have
/// been through a double).
std::optional<fixed> decimal_field(const json& body, const char* name, bool required) {
  if (!body.contains(name)) {
    if (required)
      invalid_field(name, "is required");
    return std::nullopt;
  }
  const auto& v = body[name];
  if (v.is_number())
    decimal_as_number(name);
  if (!v.is_string())
    invalid_field(name, std::string{"must be a decimal string, got "} + v.type_name());
  const auto& text = v.get_ref<const std::string&>();
  auto out = fixed::parse(text);
  // fixed::parse wraps just past +-92233720368.54775807; a sign that disagrees with the text is that.
  if (out && !out->is_zero() && (out->raw < 0) != (!text.empty() && text[0] == '-'))
    out.reset();
  if (!out)
    invalid_field(name, "must be a decimal with at most 8 fractional digits within +-92233720368.54775807, got "
                          + tradewind::json::quoted_preview(text));
  return out;
}

bool valid_id(const std::string& s) {
  return !s.empty() && s.size() <= 64
         && std::all_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'; });
}

std::string bearer_token(const http_request& req, const std::vector<std::pair<std::string, std::string>>& query) {
  const std::string prefix = "Bearer ";
  if (req.authorization.size() > prefix.size()
      && std::equal(prefix.begin(), prefix.end(), req.authorization.begin(),
                    [](char a, char b) { return std::tolower(a) == std::tolower(b); }))
    return req.authorization.substr(prefix.size());
  for (const auto& [k, v] : query)
    if (k == "access_token")
      return v;
  return {};
}

} // namespace

parsed_target parse_target(const std::string& target) {
  parsed_target out;
  auto qpos = target.find('?');
  out.path = target.substr(0, qpos);
  if (out.path.empty() || out.path[0] != '/') {
    out.ok = false;
    return out;
  }
  for (const auto& raw : split_path(out.path)) {
    auto seg = url_decode(raw, false);
    if (!seg) {
      out.ok = false;
      return out;
    }
    out.segments.push_back(std::move(*seg));
  }
  if (qpos == std::string::npos)
    return out;
  std::string_view rest = std::string_view{target}.substr(qpos + 1);
  while (!rest.empty()) {
    auto amp = rest.find('&');
    auto part = rest.substr(0, amp);
    auto eq = part.find('=');
    auto k = url_decode(part.substr(0, eq), true);
    auto v = url_decode(eq == std::string_view::npos ? std::string_view{} : part.substr(eq + 1), true);
    if (!k || !v) {
      out.ok = false;
      return out;
    }
    if (!k->empty())
      out.query.emplace_back(*k, *v);
    if (amp == std::string_view::npos)
      break;
    rest.remove_prefix(amp + 1);
  }
  return out;
}

struct api::impl {
  explicit impl(api_deps d)
    : deps(std::move(d)),
      limiter(static_cast<double>(deps.cfg.bridge.rate_limit_per_s), static_cast<double>(deps.cfg.bridge.burst)),
      preauth(static_cast<double>(deps.cfg.bridge.preauth_rate_limit_per_s),
              static_cast<double>(deps.cfg.bridge.preauth_burst), 10'000),
      started_ms(deps.wall_clock_ms()) {
    add_routes();
  }

  api_deps deps;
  rate_limiter limiter; ///< per key id
  rate_limiter preauth; ///< per source address, charged by failed authentications
  int64_t started_ms;
  std::mutex auth_log_mtx;
  int64_t auth_logged_ms = std::numeric_limits<int64_t>::min();
  uint64_t auth_unlogged = 0; ///< failures since the last log line

  /// Counts a failed authentication; logs at most one line per 10 s (with the count since).
  void on_auth_failure(const char* reason, const std::string& remote) {
    if (deps.metrics)
      deps.metrics->on_auth_failure(reason);
    if (!deps.log)
      return;
    uint64_t suppressed = 0;
    {
      std::lock_guard<std::mutex> guard{auth_log_mtx};
      auto t = now();
      if (auth_logged_ms != std::numeric_limits<int64_t>::min() && t - auth_logged_ms < 10'000) {
        ++auth_unlogged;
        return;
      }
      auth_logged_ms = t;
      suppressed = auth_unlogged;
      auth_unlogged = 0;
    }
    deps.log->warn("event=bridge_auth_failed reason={} remote={} not_logged_since_last={}", reason, remote,
                   suppressed);
  }
  std::vector<route> routes;
  std::atomic<uint64_t> manual_seq{0};
  std::atomic<uint64_t> update_seq{0};
  std::mutex update_mtx; ///< one live update at a time, so each merges onto the last confirmed values
  std::mutex submitted_mtx;
  std::map<std::string, order_intent> submitted; ///< manual intents by client order id (bounded)

  int64_t now() const { return deps.wall_clock_ms(); }

  void add(std::string method, std::string pattern, access need, handler h) {
    route r;
    r.info.mutating = method != "GET";
    r.info.method = std::move(method);
    r.info.need = need;
    r.segments = split_path(pattern);
    r.info.pattern = std::move(pattern);
    r.run = std::move(h);
    routes.push_back(std::move(r));
  }

  // -- data access: the bridge's memory, completed by the store ---------------------------

  std::vector<order> all_orders() {
    std::map<std::string, order> by_id;
    if (deps.store) {
      auto stored = deps.store->orders();
      if (stored)
        for (auto& o : stored.value())
          by_id[o.client_order_id] = std::move(o);
    }
    for (auto& o : deps.state->orders())
      by_id[o.client_order_id] = std::move(o); // memory is at least as fresh as the store
    std::vector<order> out;
    for (auto& [id, o] : by_id)
      out.push_back(std::move(o));
    std::sort(out.begin(), out.end(), [](const order& a, const order& b) {
      return std::tie(b.created_ts_ms, b.client_order_id) < std::tie(a.created_ts_ms, a.client_order_id);
    });
    return out;
  }

  std::optional<order> find_order(const std::string& id) {
    if (auto o = deps.state->find_order(id))
      return o;
    if (deps.store) {
      auto stored = deps.store->orders();
      if (stored)
        for (auto& o : stored.value())
          if (o.client_order_id == id)
            return o;
    }
    return std::nullopt;
  }

  std::vector<fill> all_fills() {
    std::map<std::string, fill> by_id;
    if (deps.store) {
      auto stored = deps.store->fills();
      if (stored)
        for (auto& f : stored.value())
          by_id[f.fill_id] = std::move(f);
    }
    for (auto& f : deps.state->fills())
      by_id[f.fill_id] = std::move(f);
    std::vector<fill> out;
    for (auto& [id, f] : by_id)
      out.push_back(std::move(f));
    std::sort(out.begin(), out.end(), [](const fill& a, const fill& b) {
      return std::tie(b.ts_ms, b.fill_id) < std::tie(a.ts_ms, a.fill_id);
    });
    return out;
  }

  std::vector<alert> all_alerts() {
    using key = std::tuple<int64_t, std::string, std::string, std::string>;
    std::set<key> seen;
    std::vector<alert> out;
    auto add = [&](alert a) {
      if (seen.emplace(a.ts_ms, a.code, a.source, a.message).second)
        out.push_back(std::move(a));
    };
    if (deps.store) {
      auto stored = deps.store->alerts();
      if (stored)
        for (auto& a : stored.value())
          add(std::move(a));
    }
    for (auto& a : deps.state->alerts())
      add(std::move(a));
    std::stable_sort(out.begin(), out.end(), [](const alert& a, const alert& b) { return b.ts_ms < a.ts_ms; });
    return out;
  }

  std::set<std::string> configured_symbols() const {
    std::set<std::string> out;
    if (deps.cfg.collector.mode == "synthetic")
      out.insert(deps.cfg.collector.synthetic.symbols.begin(), deps.cfg.collector.synthetic.symbols.end());
    for (const auto& f : deps.cfg.collector.feeds)
      out.insert(f.symbol);
    for (const auto& s : deps.state->symbols())
      out.insert(s);
    return out;
  }

  const strategy_config* find_strategy(const std::string& id) const {
    for (const auto& s : deps.cfg.strategies)
      if (s.id == id)
        return &s;
    return nullptr;
  }

  // -- JSON views --------------------------------------------------------------------------

  json order_view(const order& o) {
    auto j = to_value(o);
    if (auto d = deps.state->find_decision(o.client_order_id))
      j["decision"] = to_value(*d);
    return j;
  }

  /// `s` with the parameters its running instances last reported.
  strategy_config live(const strategy_config& s) const {
    auto reported = deps.state->reported_params(s.id);
    return reported ? with_params(s, *reported) : s;
  }

  json strategy_view(const strategy_config& configured) {
    auto s = live(configured);
    json j{{"id", s.id},
           {"type", s.type},
           {"symbols", s.symbols},
           {"fast", s.fast},
           {"slow", s.slow},
           {"order_notional", s.order_notional.to_string()},
           {"qty_step", s.qty_step.to_string()},
           {"allow_short", s.allow_short},
           {"enabled", s.enabled}};
    auto state = trading_state::active;
    for (const auto& sc : deps.state->trading())
      if (sc.scope == scope_kind::strategy && sc.scope_id == s.id)
        state = sc.state;
    j["trading_state"] = std::string{to_string(state)};
    json positions = json::array();
    if (auto snap = deps.state->snapshot())
      for (const auto& p : snap->strategy_positions)
        if (p.strategy_id == s.id)
          positions.push_back({{"symbol", p.symbol}, {"qty", p.qty.to_string()}});
    j["positions"] = positions;
    return j;
  }

  json trading_view() {
    json scopes = json::array();
    std::string node_state = "active";
    for (const auto& sc : deps.state->trading()) {
      if (sc.scope == scope_kind::node)
        node_state = std::string{to_string(sc.state)};
      scopes.push_back({{"scope", std::string{to_string(sc.scope)}},
                        {"scope_id", sc.scope_id},
                        {"state", std::string{to_string(sc.state)}}});
    }
    return {{"node", node_state}, {"scopes", scopes}};
  }

  std::string next_update_id(const call& c) {
    return "api-" + c.key_id + "-" + std::to_string(now()) + "-" + std::to_string(++update_seq);
  }

  /// Publishes nothing itself: waits for the report of `update_id` and shapes the answer —
  /// 200 applied (with the values in force), 202 not confirmed in time, 422 refused.
  http_response answer_update(const std::string& update_id, const json& previous, const json& requested,
                              const std::function<json()>& in_force, const std::string& who) {
    auto outcome = deps.state->wait_for_update(update_id, std::chrono::milliseconds(deps.update_confirm_ms));
    if (!outcome)
      return json_response(202, dump({{"status", "pending"},
                                      {"update_id", update_id},
                                      {"detail", "published; " + who + " has not confirmed within "
                                                   + std::to_string(deps.update_confirm_ms) + " ms"},
                                      {"requested", requested},
                                      {"previous", previous}}));
    if (!outcome->accepted)
      fail(422, "update-rejected", "Update rejected", who + " rejected update " + update_id + ": " + outcome->error);
    return json_response(200, dump({{"status", "applied"},
                                    {"update_id", update_id},
                                    {"current", in_force()},
                                    {"previous", previous}}));
  }

  http_response put_limits(const call& c);
  http_response put_strategy(const call& c);

  /// Dependency checks for /health and /ready.
  json checks(bool& ready, bool& healthy) {
    json out = json::object();
    ready = true;
    healthy = true;
    if (!deps.store) {
      out["store"] = {{"status", "skipped"}, {"detail", "no store reader configured"}};
    } else if (!deps.store->shareable()) {
      out["store"] = {{"status", "skipped"}, {"detail", "sqlite::memory: is private to the store writer"}};
    } else if (auto err = deps.store->ping()) {
      out["store"] = {{"status", "down"}, {"detail", *err}};
      ready = healthy = false;
    } else {
      out["store"] = {{"status", "up"}};
    }
    auto p = deps.state->progress();
    auto stage = [&](const char* name, int64_t ts, const char* waiting) {
      if (ts == 0) {
        out[name] = {{"status", "waiting"}, {"detail", waiting}};
        ready = false;
      } else {
        out[name] = {{"status", "up"}, {"event_time_ms", ts}};
      }
    };
    stage("market_data", p.market_ms, "no market watermark yet");
    stage("account", p.account_ms, "no account watermark yet");
    if (p.market_ended)
      out["market_data"]["detail"] = "end of stream reached";
    out["bridge"] = {{"status", "up"}, {"last_event_wall_ms", p.last_event_wall_ms}};
    return out;
  }

  void add_routes();
};

void api::impl::add_routes() {
  const std::string v1 = "/api/v1";

  // -- probes --------------------------------------------------------------------------------
  add("GET", v1 + "/live", access::open, [this](const call&) {
    return json_response(200, dump({{"status", "alive"}, {"uptime_s", (now() - started_ms) / 1000}}));
  });
  add("GET", v1 + "/ready", access::open, [this](const call&) {
    bool ready = false, healthy = false;
    auto c = checks(ready, healthy);
    if (!ready) {
      std::string why;
      for (auto it = c.begin(); it != c.end(); ++it)
        if ((*it)["status"] == "down" || (*it)["status"] == "waiting")
          why += (why.empty() ? "" : "; ") + it.key() + ": " + (*it).value("detail", std::string{});
      return problem(503, "not-ready", "Not ready", why);
    }
    return json_response(200, dump({{"status", "ready"}, {"checks", c}}));
  });
  add("GET", v1 + "/health", access::open, [this](const call&) {
    bool ready = false, healthy = false;
    auto c = checks(ready, healthy);
    json out{{"status", healthy ? (ready ? "pass" : "warn") : "fail"},
             {"node", deps.cfg.node_name},
             {"uptime_s", (now() - started_ms) / 1000},
             {"checks", c}};
    return json_response(healthy ? 200 : 503, dump(out));
  });
  add("GET", v1 + "/openapi.json", access::open, [](const call&) {
    return json_response(200, openapi_document());
  });

  // -- orders --------------------------------------------------------------------------------
  add("GET", v1 + "/orders", access::read, [this](const call& c) {
    std::optional<order_status> status;
    if (auto s = c.q("status")) {
      status = enum_from_string<order_status>(*s);
      if (!status)
        fail(400, "invalid-parameter", "Invalid query parameter",
             "query parameter 'status' must be one of new_order|accepted|partially_filled|filled|cancelled|rejected, got '"
               + *s + "'");
    }
    auto symbol = c.q("symbol");
    auto strategy = c.q("strategy_id");
    std::vector<json> items;
    for (const auto& o : all_orders())
      if ((!status || o.status == *status) && (!symbol || o.symbol == *symbol)
          && (!strategy || o.strategy_id == *strategy))
        items.push_back(to_value(o));
    return page(c, std::move(items));
  });
  add("POST", v1 + "/orders", access::trade, [this](const call& c) {
    auto body = parse_body(c);
    only_fields(body, {"symbol", "side", "type", "qty", "limit_price", "reduce_only", "client_order_id"});
    order_intent in;
    in.strategy_id = "manual";
    in.symbol = *string_field(body, "symbol", true);
    in.order_side = *enum_field<side>(body, "side", true, "buy|sell");
    in.type = enum_field<order_type>(body, "type", false, "market|limit").value_or(order_type::market);
    in.qty = *decimal_field(body, "qty", true);
    if (in.qty.raw <= 0)
      invalid_field("qty", "must be > 0, got " + in.qty.to_string());
    auto limit = decimal_field(body, "limit_price", false);
    if (in.type == order_type::limit) {
      if (!limit)
        invalid_field("limit_price", "is required for limit orders");
      if (limit->raw <= 0)
        invalid_field("limit_price", "must be > 0, got " + limit->to_string());
      in.limit_price = *limit;
    } else if (limit) {
      invalid_field("limit_price", "must be absent for market orders");
    }
    if (body.contains("reduce_only")) {
      if (!body["reduce_only"].is_boolean())
        invalid_field("reduce_only", std::string{"must be a boolean, got "} + body["reduce_only"].type_name());
      in.reduce_only = body["reduce_only"].get<bool>();
    }
    auto symbols = configured_symbols();
    if (!symbols.count(in.symbol)) {
      std::string known;
      for (const auto& s : symbols)
        known += (known.empty() ? "" : "|") + s;
      invalid_field("symbol", "is not traded by this node (expected one of " + known + "), got '" + in.symbol + "'");
    }
    in.ts_ms = now();
    if (auto id = string_field(body, "client_order_id", false)) {
      if (!valid_id(*id))
        invalid_field("client_order_id", "must be 1-64 characters of [A-Za-z0-9._-]");
      if (find_order(*id) || deps.state->find_decision(*id))
        fail(409, "duplicate-order", "Duplicate order", "client_order_id '" + *id + "' was already used");
      in.client_order_id = *id;
    } else {
      in.client_order_id = "manual-" + in.symbol + "-" + std::to_string(in.ts_ms) + "-"
                           + std::to_string(++manual_seq);
    }
    {
      std::lock_guard<std::mutex> guard{submitted_mtx};
      if (submitted.count(in.client_order_id))
        fail(409, "duplicate-order", "Duplicate order", "client_order_id '" + in.client_order_id + "' was already used");
      if (submitted.size() >= 10'000)
        submitted.erase(submitted.begin());
      submitted.emplace(in.client_order_id, in);
    }
    deps.publish_intent(in);
    auto resp = json_response(202, dump({{"client_order_id", in.client_order_id},
                                         {"status", "submitted"},
                                         {"intent", to_value(in)}}));
    resp.headers.emplace_back("Location", "/api/v1/orders/" + in.client_order_id);
    return resp;
  });
  add("GET", v1 + "/orders/{id}", access::read, [this](const call& c) {
    const auto& id = c.params.at("id");
    if (auto o = find_order(id))
      return json_response(200, dump(order_view(*o)));
    if (auto d = deps.state->find_decision(id))
      return json_response(200, dump({{"client_order_id", id},
                                      {"status", d->approved ? "approved" : "denied"},
                                      {"decision", to_value(*d)}}));
    {
      std::lock_guard<std::mutex> guard{submitted_mtx};
      auto it = submitted.find(id);
      if (it != submitted.end())
        return json_response(200, dump({{"client_order_id", id},
                                        {"status", "submitted"},
                                        {"intent", to_value(it->second)}}));
    }
    fail(404, "not-found", "Order not found", "no order with client_order_id '" + id + "'");
  });
  add("DELETE", v1 + "/orders/{id}", access::trade, [this](const call& c) {
    const auto& id = c.params.at("id");
    auto o = find_order(id);
    if (!o)
      fail(404, "not-found", "Order not found", "no order with client_order_id '" + id + "'");
    if (is_terminal(o->status))
      fail(409, "order-not-open", "Order not open",
           "order '" + id + "' is " + std::string{to_string(o->status)} + " and cannot be cancelled");
    deps.publish_cancel(cancel_request{id, "cancelled through the API by key " + c.key_id, now()});
    return json_response(202, dump({{"client_order_id", id}, {"status", "cancel_requested"}}));
  });

  // -- fills, positions, portfolio -----------------------------------------------------------
  add("GET", v1 + "/fills", access::read, [this](const call& c) {
    auto symbol = c.q("symbol");
    auto cid = c.q("client_order_id");
    std::vector<json> items;
    for (const auto& f : all_fills())
      if ((!symbol || f.symbol == *symbol) && (!cid || f.client_order_id == *cid))
        items.push_back(to_value(f));
    return page(c, std::move(items));
  });
  add("GET", v1 + "/positions", access::read, [this](const call&) {
    json items = json::array();
    for (const auto& p : deps.state->positions())
      items.push_back(to_value(p));
    return json_response(200, dump({{"items", items}}));
  });
  add("GET", v1 + "/portfolio", access::read, [this](const call&) {
    const auto& pc = deps.cfg.portfolio;
    json out{{"quote_currency", pc.quote_currency}, {"initial_cash", pc.initial_cash.to_string()}};
    if (auto s = deps.state->snapshot()) {
      out["ts_ms"] = s->ts_ms;
      out["cash"] = s->cash.to_string();
      out["equity"] = s->equity.to_string();
      out["realized_pnl"] = s->realized_pnl.to_string();
      out["unrealized_pnl"] = s->unrealized_pnl.to_string();
      auto total_pnl = s->equity - pc.initial_cash;
      out["total_pnl"] = total_pnl ? json(total_pnl->to_string()) : json(nullptr); // no wrap
      out["fees_paid"] = s->fees_paid.to_string();
      out["high_water_mark"] = s->high_water_mark.to_string();
      out["drawdown_pct"] = s->drawdown_pct.to_string();
      out["day_start_equity"] = s->day_start_equity.to_string();
      out["open_orders"] = s->open_orders.size();
      out["positions"] = s->positions.size();
    } else {
      out["ts_ms"] = nullptr;
      out["equity"] = pc.initial_cash.to_string();
      out["cash"] = pc.initial_cash.to_string();
      out["total_pnl"] = "0";
    }
    json curve = json::array();
    for (const auto& p : deps.state->equity_curve())
      curve.push_back({p.ts_ms, p.equity.to_string()});
    out["equity_curve"] = curve;
    return json_response(200, dump(out));
  });

  // -- strategies ----------------------------------------------------------------------------
  add("GET", v1 + "/strategies", access::read, [this](const call&) {
    json items = json::array();
    for (const auto& s : deps.cfg.strategies)
      items.push_back(strategy_view(s));
    return json_response(200, dump({{"items", items}}));
  });
  add("GET", v1 + "/strategies/{id}", access::read, [this](const call& c) {
    auto* s = find_strategy(c.params.at("id"));
    if (!s)
      fail(404, "not-found", "Strategy not found", "no strategy with id '" + c.params.at("id") + "'");
    return json_response(200, dump(strategy_view(*s)));
  });
  add("PUT", v1 + "/strategies/{id}", access::admin, [this](const call& c) { return put_strategy(c); });
  for (const char* verb : {"enable", "disable"}) {
    bool enable = std::string{verb} == "enable";
    add("POST", v1 + "/strategies/{id}/" + verb, access::admin, [this, enable](const call& c) {
      const auto& id = c.params.at("id");
      if (!find_strategy(id))
        fail(404, "not-found", "Strategy not found", "no strategy with id '" + id + "'");
      control_command cmd;
      cmd.action = enable ? control_action::resume : control_action::halt;
      cmd.scope = scope_kind::strategy;
      cmd.scope_id = id;
      cmd.reason = enable ? "strategy enabled through the API" : "strategy disabled through the API";
      cmd.issued_by = "api:" + c.key_id;
      cmd.ts_ms = now();
      deps.publish_control(cmd);
      return json_response(202, dump({{"accepted", to_value(cmd)}}));
    });
  }

  // -- risk and trading state ----------------------------------------------------------------
  add("GET", v1 + "/risk/limits", access::read, [this](const call&) {
    return json_response(200, dump(to_value(deps.state->current_limits())));
  });
  add("PUT", v1 + "/risk/limits", access::admin, [this](const call& c) { return put_limits(c); });
  add("GET", v1 + "/trading-state", access::read, [this](const call&) {
    return json_response(200, dump(trading_view()));
  });
  add("POST", v1 + "/trading-state", access::admin, [this](const call& c) {
    auto body = parse_body(c);
    only_fields(body, {"action", "scope", "scope_id", "reason"});
    control_command cmd;
    cmd.action = *enum_field<control_action>(body, "action", true, "halt|reduce_only|resume");
    cmd.scope = enum_field<scope_kind>(body, "scope", false, "node|strategy|symbol").value_or(scope_kind::node);
    cmd.scope_id = string_field(body, "scope_id", false).value_or("");
    cmd.reason = string_field(body, "reason", false).value_or("");
    if (cmd.scope == scope_kind::node && !cmd.scope_id.empty())
      invalid_field("scope_id", "must be empty for scope node");
    if (cmd.scope == scope_kind::strategy && !find_strategy(cmd.scope_id))
      invalid_field("scope_id", "must name a configured strategy, got '" + cmd.scope_id + "'");
    if (cmd.scope == scope_kind::symbol && !configured_symbols().count(cmd.scope_id))
      invalid_field("scope_id", "must name a symbol this node trades, got '" + cmd.scope_id + "'");
    cmd.issued_by = "api:" + c.key_id;
    cmd.ts_ms = now();
    deps.publish_control(cmd);
    return json_response(202, dump({{"accepted", to_value(cmd)}}));
  });

  // -- alerts, candles, nodes ------------------------------------------------------------------
  add("GET", v1 + "/alerts", access::read, [this](const call& c) {
    std::optional<severity> level;
    if (auto s = c.q("severity")) {
      level = enum_from_string<severity>(*s);
      if (!level)
        fail(400, "invalid-parameter", "Invalid query parameter",
             "query parameter 'severity' must be one of info|warning|critical, got '" + *s + "'");
    }
    auto code = c.q("code");
    std::vector<json> items;
    for (const auto& a : all_alerts())
      if ((!level || a.level == *level) && (!code || a.code == *code))
        items.push_back(to_value(a));
    return page(c, std::move(items));
  });
  add("GET", v1 + "/audit", access::admin, [this](const call& c) {
    if (!deps.store || !deps.store->shareable())
      fail(503, "store-unavailable", "Store unavailable",
           "the audit log is kept in the node's store, which is private to this process (sqlite::memory:); "
           "use a file or PostgreSQL store, or read the bridge.audit_log file");
    auto from = int_param(c, "from", std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::min(),
                          std::numeric_limits<int64_t>::max());
    auto to = int_param(c, "to", std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min(),
                        std::numeric_limits<int64_t>::max());
    auto limit = int_param(c, "limit", 100, 1, 1000);
    auto records = deps.store->audit(from, to, static_cast<size_t>(limit));
    if (!records)
      fail(503, "store-unavailable", "Store unavailable", "cannot read the audit log: " + records.error());
    json items = json::array();
    for (const auto& r : records.value()) {
      json detail = json::parse(r.detail, nullptr, false);
      items.push_back({{"ts_ms", r.ts_ms}, {"actor", r.actor}, {"action", r.action}, {"target", r.target},
                       {"detail", detail.is_discarded() ? json(r.detail) : detail}});
    }
    return json_response(200, dump({{"items", items}}));
  });
  add("GET", v1 + "/candles/{symbol}", access::read, [this](const call& c) {
    const auto& symbol = c.params.at("symbol");
    auto bars = deps.state->bars(symbol);
    if (bars.empty() && !configured_symbols().count(symbol))
      fail(404, "not-found", "Unknown symbol", "this node has no market data for symbol '" + symbol + "'");
    auto limit = static_cast<size_t>(int_param(c, "limit", 100, 1, 1000));
    auto window = static_cast<size_t>(int_param(c, "sma", 20, 1, 500));
    std::vector<fixed> closes;
    for (const auto& b : bars)
      closes.push_back(b.close);
    auto sma = simple_moving_average(closes, window);
    size_t first = bars.size() > limit ? bars.size() - limit : 0;
    json items = json::array(), values = json::array();
    for (size_t i = first; i < bars.size(); ++i) {
      items.push_back(to_value(bars[i]));
      values.push_back(sma[i] ? json(sma[i]->to_string()) : json(nullptr));
    }
    return json_response(200, dump({{"symbol", symbol},
                                    {"items", items},
                                    {"indicators", {{"sma", {{"window", window}, {"values", values}}}}}}));
  });
  add("GET", v1 + "/nodes", access::read, [this](const call&) {
    auto p = deps.state->progress();
    json self{{"name", deps.cfg.node_name},
              {"self", true},
              {"status", "up"},
              {"started_ms", started_ms},
              {"uptime_s", (now() - started_ms) / 1000},
              {"trading_state", trading_view()["node"]},
              {"market_event_time_ms", p.market_ms},
              {"account_event_time_ms", p.account_ms},
              {"strategies", deps.cfg.strategies.size()}};
    return json_response(200, dump({{"items", json::array({self})}}));
  });

  // The stream is upgraded by the server before routing; a plain GET lands here.
  add("GET", v1 + "/stream", access::read, [](const call&) -> http_response {
    auto r = problem(426, "upgrade-required", "Upgrade required",
                     "/api/v1/stream is a WebSocket endpoint: connect with Upgrade: websocket");
    r.headers.emplace_back("Upgrade", "websocket");
    return r;
  });

  // -- outside /api/v1 -------------------------------------------------------------------------
  add("GET", "/metrics", access::open, [this](const call&) {
    http_response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = deps.metrics->serialize();
    return r;
  });
  for (const char* page_path : {"/", "/dashboard"})
    add("GET", page_path, access::open, [this](const call&) {
      http_response r;
      r.content_type = "text/html; charset=utf-8";
      r.body = deps.dashboard_html;
      return r;
    });
}

http_response api::impl::put_limits(const call& c) {
  auto body = parse_body(c);
  std::lock_guard<std::mutex> one_at_a_time{update_mtx};
  auto before = deps.state->current_limits();
  require_some_field(body, "the fields of GET /api/v1/risk/limits");
  auto after = patched(before, body);
  reject_invalid(validate_risk_limits(after, ""));
  risk_limits_update u{next_update_id(c), after, "changed through the API", "api:" + c.key_id, now()};
  auto previous = to_value(before);
  auto requested = to_value(after);
  *c.audit_change = dump({{"old", previous}, {"new", requested}});
  deps.publish_limits(u);
  return answer_update(u.update_id, previous, requested, [this] { return to_value(deps.state->current_limits()); },
                       "the risk gate");
}

http_response api::impl::put_strategy(const call& c) {
  const auto& id = c.params.at("id");
  const auto* configured = find_strategy(id);
  if (!configured)
    fail(404, "not-found", "Strategy not found", "no strategy with id '" + id + "'");
  if (!configured->enabled)
    fail(409, "strategy-not-running", "Strategy not running",
         "strategy '" + id + "' is not running (enabled: false in the node config), so nothing would apply the update");
  auto body = parse_body(c);
  for (const char* key : {"id", "type", "symbols"})
    if (body.contains(key))
      invalid_field(key, "cannot be changed on a running node (edit strategies[] in the config and restart)");
  for (const char* key : {"enabled", "trading_state"})
    if (body.contains(key))
      invalid_field(key, "cannot be changed with PUT (use POST /api/v1/strategies/" + id + "/enable or /disable)");
  if (body.contains("positions"))
    invalid_field("positions", "is read-only");
  std::lock_guard<std::mutex> one_at_a_time{update_mtx};
  auto before = params_of(live(*configured));
  require_some_field(body, "fast, slow, order_notional, qty_step, allow_short");
  auto after = patched(before, body);
  reject_invalid(validate_strategy_params(after, ""));
  strategy_update u{next_update_id(c), id, after, "changed through the API", "api:" + c.key_id, now()};
  auto previous = to_value(before);
  auto requested = to_value(after);
  *c.audit_change = dump({{"old", previous}, {"new", requested}});
  deps.publish_strategy(u);
  return answer_update(u.update_id, previous, requested,
                       [this, configured] { return strategy_view(*configured); }, "strategy " + id);
}

api::api(api_deps deps) : impl_(std::make_unique<impl>(std::move(deps))) {
  // nop
}

api::~api() = default;

std::vector<route_info> api::routes() const {
  std::vector<route_info> out;
  for (const auto& r : impl_->routes)
    out.push_back(r.info);
  return out;
}

void api::record(const std::string& route, const std::string& method, int status, double seconds) {
  // The method is the client's text: label only the known ones, so labels stay few.
  static const std::set<std::string> known{"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"};
  if (impl_->deps.metrics)
    impl_->deps.metrics->on_http_request(route, known.count(method) ? method : "other", status, seconds);
}

namespace {

/// The address part of "ip:port" / "[v6]:port" / "v6:port" (the pre-auth bucket's key).
std::string source_address(const std::string& remote) {
  auto colon = remote.rfind(':');
  return colon == std::string::npos ? remote : remote.substr(0, colon);
}

} // namespace

bool api::key_active(const std::string& key_id) {
  return impl_->deps.keys->active(key_id, impl_->now());
}

std::optional<http_response> api::authorize(const http_request& req, access need, std::string* key_id,
                                            auth_outcome* outcome) {
  auth_outcome ignored;
  auto& result = outcome ? *outcome : ignored;
  result = auth_outcome::allowed;
  if (need == access::open)
    return std::nullopt;
  auto& i = *impl_;
  auto address = source_address(req.remote);
  auto address_limited = [&] {
    result = auth_outcome::address_limited;
    i.on_auth_failure("address_limited", req.remote);
    auto r = problem(429, "rate-limited", "Too many requests",
                     "too many failed authentications from this address; retry later");
    r.headers.emplace_back("Retry-After", "1"); // rate_limit_per_s >= 1: a token returns within a second
    return r;
  };
  // Each failure takes a token from the address's bucket; once it is empty, failures are 429s.
  // A valid key is never refused for its address (clients behind one proxy share it).
  auto unauthenticated = [&](const char* reason, http_response r) -> std::optional<http_response> {
    if (!i.preauth.take(address, i.now()).allowed)
      return address_limited();
    result = auth_outcome::unauthenticated;
    i.on_auth_failure(reason, req.remote);
    return r;
  };
  auto target = parse_target(req.target);
  auto token = bearer_token(req, target.query);
  if (token.empty()) {
    auto r = problem(401, "unauthorized", "Unauthorized",
                     "this endpoint needs an API key: send 'Authorization: Bearer <token>' (create one with "
                     "'tradewind apikey create')");
    r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"tradewind\"");
    return unauthenticated("missing_token", std::move(r));
  }
  auto key = i.deps.keys->verify(token, i.now());
  if (!key) {
    auto r = problem(401, "unauthorized", "Unauthorized", "the API key is unknown or revoked");
    r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"tradewind\", error=\"invalid_token\"");
    return unauthenticated("invalid_token", std::move(r));
  }
  *key_id = key->id;
  // The key's bucket is charged before the scope check, so a flood of 403s is limited too.
  auto verdict = i.limiter.take(key->id, i.now());
  if (!verdict.allowed) {
    result = auth_outcome::key_limited;
    if (i.deps.metrics)
      i.deps.metrics->on_rate_limited();
    auto r = problem(429, "rate-limited", "Too many requests",
                     "key " + key->id + " exceeded " + std::to_string(i.deps.cfg.bridge.rate_limit_per_s)
                       + " requests/s (burst " + std::to_string(i.deps.cfg.bridge.burst) + "); retry in "
                       + std::to_string(verdict.retry_after_s) + " s");
    r.headers.emplace_back("Retry-After", std::to_string(verdict.retry_after_s));
    return r;
  }
  auto need_scope = need == access::read ? key_scope::read : need == access::trade ? key_scope::trade : key_scope::admin;
  if (!scope_allows(key->scope, need_scope)) {
    result = auth_outcome::forbidden;
    return problem(403, "forbidden", "Forbidden",
                   "key " + key->id + " has scope '" + std::string{to_string(key->scope)} + "'; this call needs '"
                     + std::string{to_string(need_scope)} + "'");
  }
  return std::nullopt;
}

http_response api::handle(const http_request& req) {
  auto start = std::chrono::steady_clock::now();
  auto target = parse_target(req.target);
  const route* matched = nullptr;
  std::map<std::string, std::string> params;
  std::vector<std::string> allowed;
  http_response resp;
  std::string key_id;
  std::string change; // old → new of a live update, for the audit log
  auto outcome = auth_outcome::unauthenticated; // nothing is audited unless a key was verified
  if (req.target == "*" && req.method == "OPTIONS") {
    resp.status = 204;
    resp.content_type.clear();
    resp.headers.emplace_back("Allow", "GET, POST, PUT, DELETE, OPTIONS");
  } else if (!target.ok) {
    resp = problem(400, "bad-target", "Bad request target",
                   "the request target must be a path starting with '/' with well-formed %-escapes");
  } else {
    const auto& segs = target.segments;
    for (const auto& r : impl_->routes) {
      if (r.segments.size() != segs.size())
        continue;
      std::map<std::string, std::string> p;
      bool ok = true;
      for (size_t i = 0; i < segs.size() && ok; ++i) {
        const auto& pat = r.segments[i];
        if (pat.size() > 2 && pat.front() == '{' && pat.back() == '}')
          ok = !segs[i].empty() && (p[pat.substr(1, pat.size() - 2)] = segs[i], true);
        else
          ok = pat == segs[i];
      }
      if (!ok)
        continue;
      if (r.info.method != req.method) {
        allowed.push_back(r.info.method);
        continue;
      }
      matched = &r;
      params = std::move(p);
      break;
    }
    if (!matched && !allowed.empty()) {
      std::string list;
      for (const auto& m : allowed)
        list += (list.empty() ? "" : ", ") + m;
      resp = problem(405, "method-not-allowed", "Method not allowed",
                     clip(req.method, 16) + " is not supported on " + clip(target.path, 200) + " (allowed: " + list + ")");
      resp.headers.emplace_back("Allow", list);
    } else if (!matched) {
      resp = problem(404, "not-found", "Not found", "no route for " + clip(target.path, 200));
    } else if (auto denied = authorize(req, matched->info.need, &key_id, &outcome)) {
      resp = std::move(*denied);
    } else {
      call c{req, std::move(params), target.query, key_id, &change};
      try {
        resp = matched->run(c);
      } catch (const api_error& e) {
        resp = e.response;
      } catch (const std::exception& e) {
        // No library text in the answer; the log has it (cut, it may quote input).
        if (impl_->deps.log)
          impl_->deps.log->error("event=bridge_handler_failed route={} method={} what=\"{}\"", matched->info.pattern,
                                 matched->info.method, clip(e.what(), 200));
        resp = problem(500, "internal-error", "Internal error", "the request failed on the node; see its log");
      }
    }
  }
  auto route_label = matched ? matched->info.pattern : std::string{"unmatched"};
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  record(route_label, req.method, resp.status, seconds);
  // Only calls by a verified key within its rate limit are audited: a request that fails
  // authentication (or is shed by a limiter) writes nothing but counters.
  bool audited = outcome == auth_outcome::allowed || outcome == auth_outcome::forbidden;
  if (matched && matched->info.mutating && audited && !key_id.empty() && impl_->deps.audit)
    impl_->deps.audit->append(
      audit_entry{impl_->now(), key_id, req.method, target.path, resp.status, req.remote, req.body, change});
  return resp;
}

} // namespace tradewind::rest
