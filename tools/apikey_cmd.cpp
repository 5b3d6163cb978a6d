#include "tools/apikey_cmd.hpp"

#include <chrono>
#include <iomanip>

#include "bridge/rest/api_keys.hpp"

namespace tradewind {

namespace {

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
    .count();
}

std::string utc(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

int create(const apikey_cmd_options& o, std::ostream& out, std::ostream& err) {
  auto scope = rest::parse_scope(o.scope);
  if (!scope) {
    err << "tradewind apikey create: --scope must be read, trade or admin, got '" << o.scope << "'\n";
    return 2;
  }
  if (o.name.empty()) {
    err << "tradewind apikey create: --name is required\n";
    return 2;
  }
  auto loaded = rest::load_keys(o.keys_file, true);
  if (!loaded.error.empty()) {
    err << "tradewind apikey create: " << loaded.error << "\n";
    return 1;
  }
  auto made = rest::generate_key(o.name, *scope, now_ms());
  loaded.keys.push_back(made.key);
  if (auto e = rest::save_keys(o.keys_file, loaded.keys); !e.empty()) {
    err << "tradewind apikey create: " << e << "\n";
    return 1;
  }
  out << "created key " << made.key.id << " (name " << made.key.name << ", scope " << rest::to_string(made.key.scope)
      << ") in " << o.keys_file << "\n"
      << "token: " << made.token << "\n"
      << "Copy the token now: it is not stored and cannot be shown again.\n";
  return 0;
}

int list(const apikey_cmd_options& o, std::ostream& out, std::ostream& err) {
  auto loaded = rest::load_keys(o.keys_file, true);
  if (!loaded.error.empty()) {
    err << "tradewind apikey list: " << loaded.error << "\n";
    return 1;
  }
  out << std::left << std::setw(15) << "ID" << std::setw(7) << "SCOPE" << std::setw(9) << "STATUS" << std::setw(22)
      << "CREATED" << "NAME\n";
  for (const auto& k : loaded.keys)
    out << std::setw(15) << k.id << std::setw(7) << rest::to_string(k.scope) << std::setw(9)
        << (k.revoked ? "revoked" : "active") << std::setw(22) << utc(k.created_ms) << k.name << "\n";
  return 0;
}

int revoke(const apikey_cmd_options& o, std::ostream& out, std::ostream& err) {
  auto loaded = rest::load_keys(o.keys_file, false);
  if (!loaded.error.empty()) {
    err << "tradewind apikey revoke: " << loaded.error << "\n";
    return 1;
  }
  for (auto& k : loaded.keys) {
    if (k.id != o.id)
      continue;
    if (k.revoked) {
      out << "key " << k.id << " was already revoked\n";
      return 0;
    }
    k.revoked = true;
    k.revoked_ms = now_ms();
    if (auto e = rest::save_keys(o.keys_file, loaded.keys); !e.empty()) {
      err << "tradewind apikey revoke: " << e << "\n";
      return 1;
    }
    out << "revoked key " << k.id << " (" << k.name << ")\n";
    return 0;
  }
  err << "tradewind apikey revoke: no key with id '" << o.id << "' in " << o.keys_file << "\n";
  return 1;
}

} // namespace

int run_apikey_command(const std::string& verb, const apikey_cmd_options& opts, std::ostream& out,
                       std::ostream& err) {
  if (opts.keys_file.empty()) {
    err << "tradewind apikey " << verb << ": --keys-file is required\n";
    return 2;
  }
  if (verb == "create")
    return create(opts, out, err);
  if (verb == "list")
    return list(opts, out, err);
  if (verb == "revoke")
    return revoke(opts, out, err);
  err << "tradewind apikey: unknown command '" << verb << "' (expected create, list or revoke)\n";
  return 2;
}

} // namespace tradewind
