#pragma once
// Transport-neutral request and response of the REST API: the Beast server converts to and
// from these, so routing, auth and handlers are tested without sockets.

#include <string>
#include <utility>
#include <vector>

namespace tradewind::rest {

/// One parsed HTTP request.
struct http_request {
  std::string method;        ///< GET, POST, PUT, DELETE, …
  std::string target;        ///< path and query, e.g. /api/v1/orders?status=filled
  std::string authorization; ///< Authorization header value; never logged
  std::string content_type;
  std::string body;
  std::string remote;        ///< peer address, for the audit log
};

/// The answer to one request.
struct http_response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers; ///< extra headers (Retry-After, …)
};

/// An RFC 7807 application/problem+json response: {type, title, status, detail}. `type` is
/// "https://tradewind.dev/problems/<slug>"; `detail` says what to change.
http_response problem(int status, const std::string& slug, const std::string& title,
                      const std::string& detail);

/// A JSON response with `status` and the given serialized body.
http_response json_response(int status, std::string body);

} // namespace tradewind::rest
