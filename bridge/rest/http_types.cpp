#include "bridge/rest/http_types.hpp"

#include <nlohmann/json.hpp>

namespace tradewind::rest {

http_response problem(int status, const std::string& slug, const std::string& title,
                      const std::string& detail) {
  nlohmann::json body{{"type", "https://tradewind.dev/problems/" + slug},
                      {"title", title},
                      {"status", status},
                      {"detail", detail}};
  http_response r;
  r.status = status;
  r.content_type = "application/problem+json";
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

http_response json_response(int status, std::string body) {
  http_response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

} // namespace tradewind::rest
