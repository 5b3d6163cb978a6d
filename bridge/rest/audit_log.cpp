#include "bridge/rest/audit_log.hpp"

#include <nlohmann/json.hpp>

namespace tradewind::rest {

audit_log::audit_log(std::string path) : path_(std::move(path)) {
  out_.open(path_, std::ios::app);
}

void audit_log::append(const audit_entry& e) {
  nlohmann::json line{{"ts_ms", e.ts_ms},       {"key_id", e.key_id}, {"method", e.method},
                      {"path", e.path},         {"status", e.status}, {"remote", e.remote},
                      {"body", e.body.substr(0, 2048)}};
  auto text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::lock_guard<std::mutex> guard{mtx_};
  if (!out_.is_open())
    return;
  out_ << text << '\n';
  out_.flush();
}

} // namespace tradewind::rest
