#pragma once
// Credentials in broker URLs (`amqp://user:pass@host:5672/`, `http://user:pass@host:15672`):
// split them off for an Authorization header.

#include <string>
#include <string_view>

namespace tradewind::net {

/// A URL with its userinfo taken out.
struct url_credentials {
  std::string url;      ///< the URL without `user:pass@`
  std::string user;     ///< percent-decoded; empty when the URL has none
  std::string password; ///< percent-decoded; empty when the URL has none
};

/// Splits `scheme://user:pass@rest` into `scheme://rest`, user and password.
url_credentials split_credentials(std::string_view url);

// Showing a URL: tradewind::redact_url (net/redact.hpp), the one redactor.

/// Percent-encodes everything but unreserved characters (`/` → `%2F`), for a vhost in a path.
std::string percent_encode(std::string_view text);

/// Standard base64 (with padding), for HTTP basic authentication.
std::string base64(std::string_view bytes);

} // namespace tradewind::net
