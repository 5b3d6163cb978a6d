#include "actors/storage/store.hpp"

#include <string_view>

#include "actors/storage/sqlite/sqlite_store.hpp"

namespace tradewind {

store_result<std::unique_ptr<store>> open_store(const store_config& cfg) {
  constexpr std::string_view sqlite_scheme = "sqlite:";
  std::string_view url = cfg.url;
  if (url.substr(0, sqlite_scheme.size()) == sqlite_scheme) {
    auto path = std::string{url.substr(sqlite_scheme.size())};
    if (path.empty())
      return store_status::error("store url '" + cfg.url + "' has no path (use sqlite:PATH)");
    return open_sqlite_store(path);
  }
  return store_status::error("store url '" + cfg.url +
                             "' has an unsupported scheme (supported: sqlite:PATH)");
}

} // namespace tradewind
