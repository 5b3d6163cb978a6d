#include "bridge/rest/api_keys.hpp"

#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "schemas/json/strict.hpp"
#include <openssl/sha.h>

namespace tradewind::rest {

namespace {

std::string to_hex(const unsigned char* data, size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out += digits[data[i] >> 4];
    out += digits[data[i] & 0xf];
  }
  return out;
}

std::string random_hex(size_t bytes) {
  std::vector<unsigned char> buf(bytes);
  if (RAND_bytes(buf.data(), static_cast<int>(bytes)) != 1)
    throw std::runtime_error("OpenSSL RAND_bytes failed");
  return to_hex(buf.data(), bytes);
}

bool is_hex(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

/// Modification time (ns), inode and size: the file's identity for reloads. `save_keys` renames
/// a new file into place, so the inode changes even when the clock tick does not.
std::tuple<int64_t, uint64_t, int64_t> file_stamp(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return {-2, 0, 0};
  return {static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec,
          static_cast<uint64_t>(st.st_ino), static_cast<int64_t>(st.st_size)};
}

} // namespace

std::string_view to_string(key_scope s) {
  switch (s) {
    case key_scope::read: return "read";
    case key_scope::trade: return "trade";
    case key_scope::admin: return "admin";
  }
  return "read";
}

std::optional<key_scope> parse_scope(std::string_view text) {
  for (auto s : {key_scope::read, key_scope::trade, key_scope::admin})
    if (text == to_string(s))
      return s;
  return std::nullopt;
}

std::string sha256_hex(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  return to_hex(digest, sizeof(digest));
}

created_key generate_key(const std::string& name, key_scope scope, int64_t now_ms) {
  created_key out;
  out.key.id = "k" + random_hex(6);
  out.key.name = name;
  out.key.scope = scope;
  out.key.created_ms = now_ms;
  auto secret = random_hex(32);
  out.key.sha256_hex = sha256_hex(secret);
  out.token = "tw_" + out.key.id + "_" + secret;
  return out;
}

std::optional<std::pair<std::string, std::string>> split_token(std::string_view token) {
  if (token.rfind("tw_", 0) != 0)
    return std::nullopt;
  token.remove_prefix(3);
  auto sep = token.find('_');
  if (sep == std::string_view::npos)
    return std::nullopt;
  auto id = token.substr(0, sep);
  auto secret = token.substr(sep + 1);
  if (id.size() < 2 || id[0] != 'k' || !is_hex(id.substr(1)) || secret.size() != 64 || !is_hex(secret))
    return std::nullopt;
  return std::make_pair(std::string{id}, std::string{secret});
}

key_file_result load_keys(const std::string& path, bool missing_ok) {
  key_file_result out;
  std::ifstream in(path);
  if (!in) {
    if (!missing_ok || std::filesystem::exists(path))
      out.error = "cannot read keys file " + path;
    return out;
  }
  try {
    std::stringstream text;
    text << in.rdbuf();
    nlohmann::json doc;
    if (auto err = tradewind::json::parse_strict(text.str(), doc)) // depth-capped, duplicate keys refused
      throw std::runtime_error(err->message());
    if (!doc.is_object() || !doc.contains("keys") || !doc["keys"].is_array())
      throw std::runtime_error("expected an object with a \"keys\" array");
    for (const auto& k : doc["keys"]) {
      api_key key;
      key.id = k.at("id").get<std::string>();
      key.name = k.value("name", "");
      auto scope = parse_scope(k.at("scope").get<std::string>());
      if (!scope)
        throw std::runtime_error("key " + key.id + ": unknown scope");
      key.scope = *scope;
      key.sha256_hex = k.at("sha256").get<std::string>();
      key.created_ms = k.value("created_ms", int64_t{0});
      key.revoked = k.value("revoked", false);
      key.revoked_ms = k.value("revoked_ms", int64_t{0});
      out.keys.push_back(std::move(key));
    }
  } catch (const std::exception& e) {
    out.keys.clear();
    out.error = "invalid keys file " + path + ": " + e.what();
  }
  return out;
}

std::string save_keys(const std::string& path, const std::vector<api_key>& keys) {
  nlohmann::json doc{{"version", 1}, {"keys", nlohmann::json::array()}};
  for (const auto& k : keys)
    doc["keys"].push_back({{"id", k.id},
                           {"name", k.name},
                           {"scope", std::string{to_string(k.scope)}},
                           {"sha256", k.sha256_hex},
                           {"created_ms", k.created_ms},
                           {"revoked", k.revoked},
                           {"revoked_ms", k.revoked_ms}});
  auto tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!out)
      return "cannot write " + tmp;
    out << doc.dump(2) << "\n";
    if (!out.flush())
      return "cannot write " + tmp;
  }
  ::chmod(tmp.c_str(), 0600);
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec)
    return "cannot replace " + path + ": " + ec.message();
  return {};
}

key_ring::key_ring(std::string path) : path_(std::move(path)) {
  // nop
}

key_ring::key_ring(std::vector<api_key> keys) : keys_(std::move(keys)) {
  // nop
}

void key_ring::maybe_reload(int64_t now_ms) {
  if (path_.empty() || (now_ms >= checked_ms_ && now_ms - checked_ms_ < reload_check_ms))
    return;
  checked_ms_ = now_ms;
  auto m = file_stamp(path_);
  if (m == stamp_)
    return;
  stamp_ = m;
  auto loaded = load_keys(path_, false);
  error_ = loaded.error;
  keys_ = std::move(loaded.keys);
}

std::optional<api_key> key_ring::verify(std::string_view token, int64_t now_ms) {
  auto parts = split_token(token);
  if (!parts)
    return std::nullopt;
  auto digest = sha256_hex(parts->second);
  std::lock_guard<std::mutex> guard{mtx_};
  maybe_reload(now_ms);
  for (const auto& k : keys_)
    if (k.id == parts->first && !k.revoked && k.sha256_hex.size() == digest.size()
        && CRYPTO_memcmp(k.sha256_hex.data(), digest.data(), digest.size()) == 0)
      return k;
  return std::nullopt;
}

bool key_ring::active(const std::string& key_id, int64_t now_ms) {
  std::lock_guard<std::mutex> guard{mtx_};
  maybe_reload(now_ms);
  for (const auto& k : keys_)
    if (k.id == key_id)
      return !k.revoked;
  return false;
}

std::string key_ring::last_error() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return error_;
}

} // namespace tradewind::rest
