#pragma once
// The one redactor for URLs and connection strings: every log line, error text and API
// response that shows a store URL, a broker URL, a webhook URL or a libpq conninfo goes
// through redact_url(). No other code in Tradewind hides secrets in a URL.

#include <string>
#include <string_view>
#include <vector>

namespace tradewind {

/// What replaces a secret in a shown URL.
inline constexpr std::string_view redacted_mark = "***";

/// `url` as it may be shown. Every accepted form:
/// - `scheme://user:pass@host…`: the password becomes `***` (`user:***@host`); a userinfo
///   without a password (often a bare token) becomes `***@`;
/// - `http://` and `https://` (webhooks: Slack, Discord, Telegram and the like carry their
///   secret in the path or the query): only `scheme://[user:***@]host[:port]` is kept, and a
///   path, query or fragment is shown as `/…`;
/// - any other URL (`postgresql://`, `amqp://`, `sqlite:`): the path stays (database,
///   vhost, file), the value of every query parameter whose key is secret-looking
///   (secret_key(), percent-decoded, e.g. `?password=`, `passfile`, `sslpassword`, `token`,
///   `api_key`, `signature`, `sig`) becomes `***`, and a fragment becomes `#…`;
/// - a libpq `key=value` conninfo (`host=db password='s e' dbname=tw`): the value of every
///   secret-looking keyword becomes `***`.
std::string redact_url(std::string_view url);

/// True for a key (query parameter, conninfo keyword, header name, config key) whose value
/// is a secret: it contains, ignoring case, pass, pwd, secret, token, key, sig, auth,
/// credential, cookie or session (so Authorization, X-Api-Key, passfile, sslkey, signature).
bool secret_key(std::string_view key);

/// The secret values (percent-decoded) that redact_url() hides in `url`, longest first: for
/// scrubbing a library's own message that may echo one (libpq, rabbitmq-c).
std::vector<std::string> secrets_in(std::string_view url);

/// `text` with every occurrence of each of `secrets` (non-empty) replaced by `***`.
std::string scrub(std::string text, const std::vector<std::string>& secrets);

/// `%XX` sequences decoded (a malformed one is kept as it is); `+` is left alone. The one
/// percent-decoder for URL parts (userinfo, query keys and values).
std::string percent_decode(std::string_view text);

} // namespace tradewind
