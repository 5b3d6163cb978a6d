#include "bridge/rest/store_reader.hpp"

#include <chrono>

namespace tradewind::rest {

store_reader::store_reader(store_config cfg, std::function<void(bool, double)> on_read)
  : cfg_(std::move(cfg)), on_read_(std::move(on_read)) {
  // nop
}

store_reader::~store_reader() = default;

bool store_reader::shareable() const {
  return cfg_.url != "sqlite::memory:";
}

template <class F>
auto store_reader::with_store(F&& f) -> decltype(f(std::declval<store&>())) {
  using result_t = decltype(f(std::declval<store&>()));
  if (!shareable())
    return result_t{store_status::error("the store is in memory and private to the store writer")};
  auto start = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> guard{mtx_};
  if (!store_) {
    auto opened = open_store(cfg_);
    if (!opened) {
      if (on_read_)
        on_read_(false, 0);
      return result_t{opened.status()};
    }
    store_ = std::move(opened.value());
  }
  auto res = f(*store_);
  if (!res)
    store_.reset(); // reopen next time: the file may have been replaced
  if (on_read_)
    on_read_(res.is_ok(), std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return res;
}

std::optional<std::string> store_reader::ping() {
  auto res = with_store([](store& s) { return s.schema_version(); });
  if (res)
    return std::nullopt;
  return res.error();
}

store_result<std::vector<order>> store_reader::orders() {
  return with_store([](store& s) { return s.list_orders(); });
}

store_result<std::vector<fill>> store_reader::fills() {
  return with_store([](store& s) { return s.list_fills(); });
}

store_result<std::vector<alert>> store_reader::alerts() {
  return with_store([](store& s) { return s.list_alerts(); });
}

store_result<std::vector<trading_state_record>> store_reader::trading_states() {
  return with_store([](store& s) { return s.list_trading_states(); });
}

store_status store_reader::append_audit(const audit_record& r) {
  auto res = with_store([&](store& s) -> store_result<bool> {
    auto st = s.append_audit(r);
    if (!st)
      return st;
    return true;
  });
  return res ? store_status::ok() : res.status();
}

store_result<std::vector<audit_record>> store_reader::audit(int64_t from_ts_ms, int64_t to_ts_ms, size_t limit) {
  return with_store([&](store& s) { return s.query_audit(from_ts_ms, to_ts_ms, limit); });
}

} // namespace tradewind::rest
