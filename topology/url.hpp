#pragma once
// Credentials in broker URLs (`amqp://user:pass@host:5672/`, `http://user:pass@host:15672`):
// split them off for an Authorization header, and hide the password whenever a URL is shown.

#include <string>
#include <string_view>

namespace tradewind::topology {

/// A URL with its userinfo taken out.
struct url_credentials {
  std::string url;      ///< the URL without `user:pass@`
  std::string user;     ///< percent-decoded; empty when the URL has none
  std::string password; ///< percent-decoded; empty when the URL has none
};

/// Splits `scheme://user:pass@rest` into `scheme://rest`, user and password.
url_credentials split_credentials(std::string_view url);

/// The URL with its password replaced by `***` (`amqp://guest:***@127.0.0.1:5672/`); URLs
/// without a password are returned as they are. Use it for every URL that is printed or logged.
std::string redact_url(std::string_view url);

/// Percent-encodes everything but unreserved characters (`/` → `%2F`), for a vhost in a path.
std::string percent_encode(std::string_view text);

/// Standard base64 (with padding), for HTTP basic authentication.
std::string base64(std::string_view bytes);

} // namespace tradewind::topology
