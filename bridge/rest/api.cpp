#include "bridge/rest/api.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <limits>
#include <map>
#include <mutex>
#include <set>

#include <spdlog/spdlog.h>

#include "bridge/metrics/node_metrics.hpp"
#include "bridge/rest/api_keys.hpp"
#include "bridge/rest/audit_log.hpp"
#include "bridge/rest/rate_limiter.hpp"
#include "bridge/rest/routes/context.hpp"
#include "bridge/rest/routes/fields.hpp"
#include "bridge/rest/routes/route.hpp"

namespace tradewind::rest {

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

using routes::clip;

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
    : ctx(std::move(d)),
      limiter(static_cast<double>(ctx.deps.cfg.bridge.rate_limit_per_s),
              static_cast<double>(ctx.deps.cfg.bridge.burst)),
      preauth(static_cast<double>(ctx.deps.cfg.bridge.preauth_rate_limit_per_s),
              static_cast<double>(ctx.deps.cfg.bridge.preauth_burst), 10'000) {
    for (const auto& r : routes::table())
      matchers.push_back({&r, split_path(r.info.pattern)});
  }

  /// A route of the table with its pattern split into segments ("{name}" = a parameter).
  struct matcher {
    const routes::route* r;
    std::vector<std::string> segments;
  };

  routes::context ctx;  ///< what the handlers share
  rate_limiter limiter; ///< per key id
  rate_limiter preauth; ///< per source address, charged by failed authentications
  std::vector<matcher> matchers;
  std::mutex auth_log_mtx;
  int64_t auth_logged_ms = std::numeric_limits<int64_t>::min();
  uint64_t auth_unlogged = 0; ///< failures since the last log line

  int64_t now() const { return ctx.now(); }

  /// Counts a failed authentication; logs at most one line per 10 s (with the count since).
  void on_auth_failure(const char* reason, const std::string& remote) {
    const auto& deps = ctx.deps;
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
};

api::api(api_deps deps) : impl_(std::make_unique<impl>(std::move(deps))) {
  // nop
}

api::~api() = default;

std::vector<route_info> api::routes() const {
  std::vector<route_info> out;
  for (const auto& m : impl_->matchers)
    out.push_back(m.r->info);
  return out;
}

void api::record(const std::string& route, const std::string& method, int status, double seconds) {
  // The method is the client's text: label only the known ones, so labels stay few.
  static const std::set<std::string> known{"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"};
  if (const auto& metrics = impl_->ctx.deps.metrics)
    metrics->on_http_request(route, known.count(method) ? method : "other", status, seconds);
}

namespace {

/// The address part of "ip:port" / "[v6]:port" / "v6:port" (the pre-auth bucket's key).
std::string source_address(const std::string& remote) {
  auto colon = remote.rfind(':');
  return colon == std::string::npos ? remote : remote.substr(0, colon);
}

} // namespace

bool api::key_active(const std::string& key_id) {
  return impl_->ctx.deps.keys->active(key_id, impl_->now());
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
  auto key = i.ctx.deps.keys->verify(token, i.now());
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
    if (i.ctx.deps.metrics)
      i.ctx.deps.metrics->on_rate_limited();
    auto r = problem(429, "rate-limited", "Too many requests",
                     "key " + key->id + " exceeded " + std::to_string(i.ctx.deps.cfg.bridge.rate_limit_per_s)
                       + " requests/s (burst " + std::to_string(i.ctx.deps.cfg.bridge.burst) + "); retry in "
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
  const routes::route* matched = nullptr;
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
    for (const auto& [r, pattern] : impl_->matchers) {
      if (pattern.size() != segs.size())
        continue;
      std::map<std::string, std::string> p;
      bool ok = true;
      for (size_t i = 0; i < segs.size() && ok; ++i) {
        const auto& pat = pattern[i];
        if (pat.size() > 2 && pat.front() == '{' && pat.back() == '}')
          ok = !segs[i].empty() && (p[pat.substr(1, pat.size() - 2)] = segs[i], true);
        else
          ok = pat == segs[i];
      }
      if (!ok)
        continue;
      if (r->info.method != req.method) {
        allowed.push_back(r->info.method);
        continue;
      }
      matched = r;
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
      routes::call c{req, std::move(params), target.query, key_id, &change};
      // Handlers return their failures; an exception here is a library's (nlohmann, the
      // store, bad_alloc) and answers 500.
      try {
        auto answer = matched->run(impl_->ctx, c);
        resp = answer ? std::move(answer).value() : std::move(answer).error().response;
      } catch (const std::exception& e) {
        // No library text in the answer; the log has it (cut, it may quote input).
        if (const auto& log = impl_->ctx.deps.log)
          log->error("event=bridge_handler_failed route={} method={} what=\"{}\"", matched->info.pattern,
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
  if (matched && matched->info.mutating && audited && !key_id.empty() && impl_->ctx.deps.audit)
    impl_->ctx.deps.audit->append(
      audit_entry{impl_->now(), key_id, req.method, target.path, resp.status, req.remote, req.body, change});
  return resp;
}

} // namespace tradewind::rest
