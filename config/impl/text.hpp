#pragma once
// Small text helpers shared by the config decoder, validator and override parser:
// key paths, "did you mean" suggestions and redaction of secret values in messages.

#include <string>
#include <string_view>
#include <vector>

namespace tradewind::config_impl {

/// `parent.key`, or `key` at the top level.
std::string join_key(const std::string& parent, std::string_view key);

/// `parent[i]`.
std::string join_index(const std::string& parent, size_t i);

/// Levenshtein distance (insert, delete, substitute each cost 1).
size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `key` when it is close enough to be a plausible typo
/// (distance <= max(2, candidate length / 3)), else an empty string.
std::string closest_key(std::string_view key, const std::vector<std::string>& candidates);

/// True when a segment of `path` names a secret (contains password, secret, token or key),
/// so its value must never appear in a message.
bool is_secret_path(std::string_view path);

/// A scalar as shown in a message: `"text"` quoted, or `<redacted>` for a secret path.
std::string shown_text(std::string_view path, std::string_view text);

/// A number as shown in a message: unquoted, or `<redacted>` for a secret path.
std::string shown_number(std::string_view path, std::string_view text);

/// `a|b|c`.
std::string join_names(const std::vector<std::string>& names, std::string_view separator);

} // namespace tradewind::config_impl
