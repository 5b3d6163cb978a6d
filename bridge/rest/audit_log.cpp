#include "bridge/rest/audit_log.hpp"

#include <nlohmann/json.hpp>

#include "bridge/rest/store_reader.hpp"

namespace tradewind::rest {

audit_log::audit_log(std::string path, std::shared_ptr<store_reader> store)
  : path_(std::move(path)), store_(std::move(store)) {
  out_.open(path_, std::ios::app);
}

void audit_log::append(const audit_entry& e) {
  auto body = e.body.substr(0, 2048);
  nlohmann::json line{{"ts_ms", e.ts_ms},       {"key_id", e.key_id}, {"method", e.method},
                      {"path", e.path},         {"status", e.status}, {"remote", e.remote},
                      {"body", body}};
  nlohmann::json detail{{"status", e.status}, {"remote", e.remote}, {"body", body}};
  if (!e.change.empty())
    line["change"] = detail["change"] = nlohmann::json::parse(e.change, nullptr, false);
  auto dump = [](const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); };
  {
    std::lock_guard<std::mutex> guard{mtx_};
    if (out_.is_open()) {
      out_ << dump(line) << '\n';
      out_.flush();
    }
  }
  if (!store_ || !store_->shareable())
    return;
  audit_record r{e.ts_ms, "api:" + (e.key_id.empty() ? std::string{"anonymous"} : e.key_id),
                 e.method + " " + e.path, e.path, dump(detail)};
  store_->append_audit(r);
}

} // namespace tradewind::rest
