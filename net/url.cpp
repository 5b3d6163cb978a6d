#include "net/url.hpp"

#include <cctype>

#include "net/redact.hpp"

namespace tradewind::net {

namespace {

/// Position of the userinfo ("user:pass") and of the '@' after it; npos when there is none.
std::pair<size_t, size_t> userinfo(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos)
    return {std::string_view::npos, std::string_view::npos};
  size_t start = scheme + 3;
  size_t end = url.find_first_of("/?#", start);
  size_t at = url.substr(0, end).rfind('@');
  if (at == std::string_view::npos || at < start)
    return {std::string_view::npos, std::string_view::npos};
  return {start, at};
}

} // namespace

url_credentials split_credentials(std::string_view url) {
  auto [start, at] = userinfo(url);
  if (start == std::string_view::npos)
    return {std::string(url), "", ""};
  std::string_view info = url.substr(start, at - start);
  size_t colon = info.find(':');
  url_credentials out;
  out.url = std::string(url.substr(0, start)) + std::string(url.substr(at + 1));
  out.user = percent_decode(info.substr(0, colon));
  if (colon != std::string_view::npos)
    out.password = percent_decode(info.substr(colon + 1));
  return out;
}

std::string percent_encode(std::string_view text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string base64(std::string_view bytes) {
  static const char* table = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t n = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8) | uint8_t(bytes[i + 2]);
    out += table[(n >> 18) & 63];
    out += table[(n >> 12) & 63];
    out += table[(n >> 6) & 63];
    out += table[n & 63];
  }
  if (i + 1 == bytes.size()) {
    uint32_t n = uint8_t(bytes[i]) << 16;
    out += table[(n >> 18) & 63];
    out += table[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    uint32_t n = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8);
    out += table[(n >> 18) & 63];
    out += table[(n >> 12) & 63];
    out += table[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

} // namespace tradewind::net
