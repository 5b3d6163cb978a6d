#include "net/redact.hpp"

#include <algorithm>
#include <cctype>

namespace tradewind {

namespace {

constexpr std::string_view ellipsis = "\xe2\x80\xa6"; // "…"

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

std::string lower(std::string_view s) {
  std::string out{s};
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

/// Length of `scheme:` at the start of `s` (RFC 3986: ALPHA *( ALPHA / DIGIT / + / - / . )),
/// 0 when `s` does not start with one.
size_t scheme_length(std::string_view s) {
  if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0])))
    return 0;
  for (size_t i = 1; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == ':')
      return i + 1;
    if (!std::isalnum(c) && c != '+' && c != '-' && c != '.')
      return 0;
  }
  return 0;
}

bool is_http(std::string_view scheme) {
  auto s = lower(scheme);
  return s == "http://" || s == "https://";
}

/// The parts of `scheme://authority rest`; authority splits into userinfo '@' host.
struct url_parts {
  std::string_view scheme;   ///< "postgresql://" (with "://"), or "sqlite:" for an opaque URL
  std::string_view userinfo; ///< without '@'; empty when absent
  bool has_userinfo = false;
  std::string_view host;     ///< host[:port]
  std::string_view path;     ///< up to '?' or '#'
  std::string_view query;    ///< without '?'
  bool has_query = false;
  std::string_view fragment; ///< without '#'
  bool has_fragment = false;
};

url_parts split(std::string_view url, size_t scheme_len) {
  url_parts p;
  std::string_view rest;
  if (url.substr(scheme_len, 2) == "//") {
    p.scheme = url.substr(0, scheme_len + 2);
    auto after = url.substr(scheme_len + 2);
    auto end = after.find_first_of("/?#");
    auto authority = after.substr(0, end);
    auto at = authority.rfind('@');
    if (at != std::string_view::npos) {
      p.has_userinfo = true;
      p.userinfo = authority.substr(0, at);
      p.host = authority.substr(at + 1);
    } else {
      p.host = authority;
    }
    rest = end == std::string_view::npos ? std::string_view{} : after.substr(end);
  } else {
    p.scheme = url.substr(0, scheme_len);
    rest = url.substr(scheme_len);
  }
  auto hash = rest.find('#');
  if (hash != std::string_view::npos) {
    p.has_fragment = true;
    p.fragment = rest.substr(hash + 1);
    rest = rest.substr(0, hash);
  }
  auto q = rest.find('?');
  if (q != std::string_view::npos) {
    p.has_query = true;
    p.query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  p.path = rest;
  return p;
}

/// Calls f(key, value, has_value) for every '&'-separated parameter of `query`.
template <class F>
void each_param(std::string_view query, F&& f) {
  while (true) {
    auto amp = query.find('&');
    auto part = query.substr(0, amp);
    auto eq = part.find('=');
    if (eq == std::string_view::npos)
      f(part, std::string_view{}, false);
    else
      f(part.substr(0, eq), part.substr(eq + 1), true);
    if (amp == std::string_view::npos)
      break;
    query = query.substr(amp + 1);
  }
}

std::string redacted_query(std::string_view query) {
  std::string out;
  bool first = true;
  each_param(query, [&](std::string_view k, std::string_view v, bool has_value) {
    if (!first)
      out += '&';
    first = false;
    out += k;
    if (!has_value)
      return;
    out += '=';
    if (secret_key(percent_decode(k)))
      out += redacted_mark;
    else
      out += v;
  });
  return out;
}

/// One `keyword = value` of a libpq conninfo: where its value is in the text, and the value
/// with quotes and backslash escapes resolved.
struct conninfo_item {
  std::string keyword;
  size_t value_begin = 0;
  size_t value_end = 0;
  std::string value;
};

bool blank(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

std::vector<conninfo_item> parse_conninfo(std::string_view s) {
  std::vector<conninfo_item> items;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && blank(s[i]))
      ++i;
    if (i >= s.size())
      break;
    conninfo_item it;
    while (i < s.size() && s[i] != '=' && !blank(s[i]))
      it.keyword += s[i++];
    while (i < s.size() && blank(s[i]))
      ++i;
    if (i >= s.size() || s[i] != '=')
      break; // not a conninfo after all: what was read is shown as it is
    ++i;
    while (i < s.size() && blank(s[i]))
      ++i;
    it.value_begin = i;
    if (i < s.size() && s[i] == '\'') {
      ++i;
      while (i < s.size() && s[i] != '\'') {
        if (s[i] == '\\' && i + 1 < s.size())
          ++i;
        it.value += s[i++];
      }
      if (i < s.size())
        ++i; // closing quote
    } else {
      while (i < s.size() && !blank(s[i])) {
        if (s[i] == '\\' && i + 1 < s.size())
          ++i;
        it.value += s[i++];
      }
    }
    it.value_end = i;
    items.push_back(std::move(it));
  }
  return items;
}

std::string redacted_conninfo(std::string_view s) {
  std::string out;
  size_t copied = 0;
  for (const auto& it : parse_conninfo(s)) {
    if (!secret_key(it.keyword))
      continue;
    out += s.substr(copied, it.value_begin - copied);
    out += redacted_mark;
    copied = it.value_end;
  }
  out += s.substr(copied);
  return out;
}

} // namespace

bool secret_key(std::string_view key) {
  static const char* const words[] = {"pass", "pwd",        "secret", "token",  "key",
                                      "sig",  "credential", "cookie", "session"};
  auto k = lower(key);
  if (std::any_of(std::begin(words), std::end(words), [&](const char* w) { return k.find(w) != std::string::npos; }))
    return true;
  // "auth" only where a word starts (authorization, x-auth-token), not inside one: the pre-auth
  // rate limits (bridge.preauth_*) are plain numbers an operator must see in errors.
  for (size_t at = k.find("auth"); at != std::string::npos; at = k.find("auth", at + 1))
    if (at == 0 || !std::isalnum(static_cast<unsigned char>(k[at - 1])))
      return true;
  return false;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string redact_url(std::string_view url) {
  auto scheme_len = scheme_length(url);
  if (scheme_len == 0)
    return url.find('=') == std::string_view::npos ? std::string{url} : redacted_conninfo(url);
  auto p = split(url, scheme_len);
  bool http = is_http(p.scheme);
  std::string out{p.scheme};
  if (p.has_userinfo) {
    auto colon = p.userinfo.find(':');
    if (colon != std::string_view::npos)
      out += std::string{p.userinfo.substr(0, colon + 1)} + std::string{redacted_mark};
    else if (http)
      out += redacted_mark; // a bare userinfo on a web URL is usually a token
    else
      out += p.userinfo;
    out += '@';
  }
  out += p.host;
  if (http) {
    // Webhook paths and queries carry the secret (Slack /services/T/B/XXXX, Discord
    // /api/webhooks/ID/TOKEN, Telegram /botTOKEN/…): only the origin is shown.
    if ((!p.path.empty() && p.path != "/") || p.has_query || p.has_fragment)
      out += "/" + std::string{ellipsis};
    else
      out += p.path;
    return out;
  }
  out += p.path;
  if (p.has_query)
    out += "?" + redacted_query(p.query);
  if (p.has_fragment)
    out += "#" + std::string{ellipsis};
  return out;
}

std::vector<std::string> secrets_in(std::string_view url) {
  std::vector<std::string> found;
  auto add = [&](std::string_view raw) {
    if (raw.empty())
      return;
    found.emplace_back(raw);
    auto decoded = percent_decode(raw);
    if (decoded != raw)
      found.push_back(std::move(decoded));
  };
  auto scheme_len = scheme_length(url);
  if (scheme_len == 0) {
    if (url.find('=') != std::string_view::npos)
      for (const auto& it : parse_conninfo(url))
        if (secret_key(it.keyword))
          add(it.value);
  } else {
    auto p = split(url, scheme_len);
    bool http = is_http(p.scheme);
    if (p.has_userinfo) {
      auto colon = p.userinfo.find(':');
      if (colon != std::string_view::npos)
        add(p.userinfo.substr(colon + 1));
      else if (http)
        add(p.userinfo);
    }
    if (p.has_query)
      each_param(p.query, [&](std::string_view k, std::string_view v, bool) {
        if (http || secret_key(percent_decode(k)))
          add(v);
      });
    if (http) {
      if (p.path.size() > 1)
        add(p.path);
      // Each path segment long enough to be a token (ids and tokens, not "api" or "v1").
      auto path = p.path;
      while (!path.empty()) {
        auto slash = path.find('/');
        auto seg = path.substr(0, slash);
        if (seg.size() >= 8)
          add(seg);
        if (slash == std::string_view::npos)
          break;
        path = path.substr(slash + 1);
      }
      add(p.fragment);
    }
  }
  std::sort(found.begin(), found.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() > b.size() : a < b;
  });
  found.erase(std::unique(found.begin(), found.end()), found.end());
  return found;
}

std::string scrub(std::string text, const std::vector<std::string>& secrets) {
  for (const auto& s : secrets) {
    if (s.empty())
      continue;
    for (size_t at = 0; (at = text.find(s, at)) != std::string::npos;) {
      text.replace(at, s.size(), redacted_mark);
      at += redacted_mark.size();
    }
  }
  return text;
}

} // namespace tradewind
