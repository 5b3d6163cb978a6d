#pragma once
// A small blocking HTTP/1.1 client (plain http only) for outgoing calls such as alert
// webhooks. One connection per request ("Connection: close"). Call it only from a thread
// that may block: a detached actor or a dedicated I/O thread, never the CAF scheduler.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tradewind::http {

/// The parts of an `http://host[:port][/target]` URL.
struct url_parts {
  std::string host;
  std::string port = "80";
  std::string target = "/"; ///< path and query, always starting with '/'
};

/// Parses an absolute http URL. Returns nullopt and sets `error` (when given) for other
/// schemes (https is not supported), an empty host or a bad port.
std::optional<url_parts> parse_url(std::string_view url, std::string* error = nullptr);

/// One outgoing request.
struct request {
  std::string method = "POST";  ///< GET, POST, PUT, …
  std::string url;              ///< http://host[:port]/path
  std::vector<std::pair<std::string, std::string>> headers; ///< extra headers
  std::string content_type;     ///< Content-Type; omitted when empty
  std::string body;
  int64_t timeout_ms = 2'000;   ///< bound on connect + write + read; DNS resolution is not bounded
};

/// What came back, or why nothing did.
struct response {
  int status = 0;      ///< HTTP status; 0 when no response was received
  std::string body;
  std::string error;   ///< transport failure ("connecting 127.0.0.1:9: Connection refused",
                       ///< "timeout after 2000 ms while reading"); empty when a response arrived

  /// A response arrived (whatever its status).
  bool received() const { return error.empty(); }
  /// A 2xx response arrived.
  bool is_success() const { return received() && status >= 200 && status < 300; }
};

/// Sends `req` and waits for the complete response or the timeout. Never throws.
response send(const request& req);

/// POSTs `body` as application/json.
response post_json(const std::string& url, std::string body, int64_t timeout_ms);

} // namespace tradewind::http
