#include "config/impl/text.hpp"

#include <algorithm>
#include <cctype>

#include "net/redact.hpp"

namespace tradewind::config_impl {

std::string join_key(const std::string& parent, std::string_view key) {
  if (parent.empty())
    return std::string(key);
  std::string out = parent;
  out += '.';
  out += key;
  return out;
}

std::string join_index(const std::string& parent, size_t i) {
  return parent + "[" + std::to_string(i) + "]";
}

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      size_t substitute = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      row[j] = std::min({above + 1, row[j - 1] + 1, substitute});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string closest_key(std::string_view key, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = 0;
  for (const auto& candidate : candidates) {
    size_t d = edit_distance(key, candidate);
    size_t limit = std::max<size_t>(2, candidate.size() / 3);
    if (d <= limit && (best.empty() || d < best_distance)) {
      best = candidate;
      best_distance = d;
    }
  }
  return best;
}

bool is_secret_path(std::string_view path) {
  // URLs embed passwords and tokens (amqp.url, store.url, webhook urls); webhook headers
  // carry credentials (Authorization); other keys by their name (net/redact.hpp).
  auto ends_with = [&](std::string_view tail) {
    return path.size() >= tail.size() && path.substr(path.size() - tail.size()) == tail;
  };
  return path == "amqp.url" || path == "url" || ends_with(".url") || path.find(".headers") != std::string_view::npos ||
         secret_key(path);
}

std::string shown_text(std::string_view path, std::string_view text) {
  if (is_secret_path(path))
    return "<redacted>";
  std::string out = "\"";
  out += text;
  out += '"';
  return out;
}

std::string shown_number(std::string_view path, std::string_view text) {
  if (is_secret_path(path))
    return "<redacted>";
  return std::string(text);
}

std::string join_names(const std::vector<std::string>& names, std::string_view separator) {
  std::string out;
  for (const auto& name : names) {
    if (!out.empty())
      out += separator;
    out += name;
  }
  return out;
}

} // namespace tradewind::config_impl
