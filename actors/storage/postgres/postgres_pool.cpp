#include "actors/storage/postgres/postgres_pool.hpp"

#include <algorithm>
#include <thread>

#include "net/redact.hpp"

namespace tradewind::pg {

std::string clean_message(std::string_view what, const std::vector<std::string>& secrets) {
  std::string out;
  for (char c : what)
    out += (c == '\n' || c == '\t' || c == '\r') ? ' ' : c;
  // "FATAL:  role …" and folded lines leave runs of blanks.
  out.erase(std::unique(out.begin(), out.end(), [](char a, char b) { return a == ' ' && b == ' '; }),
            out.end());
  while (!out.empty() && out.back() == ' ')
    out.pop_back();
  return scrub(std::move(out), secrets);
}

std::string conninfo_of(const store_config& cfg) {
  auto seconds = std::max<int64_t>(1, (cfg.connect_timeout_ms + 999) / 1000);
  auto sep = cfg.url.find('?') == std::string::npos ? '?' : '&';
  auto out = cfg.url + sep + "connect_timeout=" + std::to_string(seconds);
  // An operator's own application_name (say, the node name) is kept.
  if (cfg.url.find("application_name=") == std::string::npos)
    out += "&application_name=tradewind";
  return out;
}

pool::pool(const store_config& cfg)
  : conninfo_(conninfo_of(cfg)),
    shown_url_(redact_url(cfg.url)),
    secrets_(secrets_in(cfg.url)),
    size_(static_cast<size_t>(std::max(cfg.pool_size, 1))) {}

pool::lease::~lease() {
  if (owner_ && conn_)
    owner_->give_back(std::move(conn_), broken_);
  else if (owner_)
    owner_->give_back(nullptr, true);
}

void pool::give_back(std::unique_ptr<pqxx::connection> c, bool broken) {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    --leased_;
    if (c && !broken && c->is_open())
      idle_.push_back(std::move(c));
  }
  cv_.notify_one();
  // A broken connection is destroyed here, outside the lock.
}

size_t pool::open_connections() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return idle_.size() + leased_;
}

store_result<std::unique_ptr<pqxx::connection>> pool::connect() {
  std::string last;
  for (size_t attempt = 0;; ++attempt) {
    try {
      return std::make_unique<pqxx::connection>(conninfo_);
    } catch (const std::exception& e) {
      last = clean(e.what());
    }
    if (attempt >= std::size(reconnect_delays))
      break;
    std::this_thread::sleep_for(reconnect_delays[attempt]);
  }
  return store_status::error(shown_url_ + ": cannot connect: " + last);
}

store_result<pool::lease> pool::acquire() {
  std::unique_ptr<pqxx::connection> c;
  {
    std::unique_lock<std::mutex> lock{mtx_};
    cv_.wait(lock, [this] { return !idle_.empty() || idle_.size() + leased_ < size_; });
    if (!idle_.empty()) {
      c = std::move(idle_.back());
      idle_.pop_back();
    }
    ++leased_; // reserves the slot while connecting outside the lock
  }
  if (!c) {
    auto fresh = connect();
    if (!fresh) {
      give_back(nullptr, true);
      return fresh.status();
    }
    c = std::move(fresh.value());
  }
  return lease{this, std::move(c)};
}

} // namespace tradewind::pg
