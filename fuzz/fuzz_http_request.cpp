// Any bytes as an HTTP/1.1 request: Beast's parser (header and body limits as the bridge sets
// them), then the REST API's routing, authentication, JSON bodies and handlers. "Bearer FUZZ"
// in the Authorization header stands for a valid admin key, so handlers behind auth are reached.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "bridge/metrics/node_metrics.hpp"
#include "bridge/rest/api.hpp"
#include "bridge/rest/api_keys.hpp"
#include "bridge/rest/bridge_state.hpp"

namespace {

using namespace tradewind;
namespace http = boost::beast::http;

struct harness {
  rest::created_key admin = rest::generate_key("fuzz", rest::key_scope::admin, 0);
  std::unique_ptr<rest::api> api;

  harness() {
    node_config cfg;
    cfg.node_name = "fuzz";
    cfg.collector.mode = "synthetic";
    cfg.collector.synthetic.symbols = {"SYNTHUSDT"};
    strategy_config s;
    s.id = "s1";
    cfg.strategies.push_back(s);
    cfg.bridge.rate_limit_per_s = 1'000'000;
    cfg.bridge.burst = 1'000'000;
    rest::api_deps d;
    d.cfg = cfg;
    d.state = std::make_shared<rest::bridge_state>(cfg.risk);
    d.metrics = std::make_shared<metrics::node_metrics>("fuzz");
    d.keys = std::make_shared<rest::key_ring>(std::vector<rest::api_key>{admin.key});
    d.publish_control = [](control_command) {};
    d.publish_intent = [](order_intent) {};
    d.publish_cancel = [](cancel_request) {};
    d.publish_limits = [](risk_limits_update) {};
    d.publish_strategy = [](strategy_update) {};
    d.wall_clock_ms = [] { return int64_t{1'700'000'000'000}; };
    d.update_confirm_ms = 0; // no actor answers here: do not wait for one
    api = std::make_unique<rest::api>(std::move(d));
  }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static harness h;
  http::request_parser<http::string_body> parser;
  parser.header_limit(16 * 1024);
  parser.body_limit(64 * 1024);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (ec || !parser.is_done())
    return 0;
  const auto& m = parser.get();
  rest::http_request req;
  req.method = std::string{m.method_string()};
  req.target = std::string{m.target()};
  std::string auth{m[http::field::authorization]};
  req.authorization = auth == "Bearer FUZZ" ? "Bearer " + h.admin.token : auth;
  req.content_type = std::string{m[http::field::content_type]};
  req.body = m.body();
  req.remote = "127.0.0.1";
  (void)h.api->handle(req);
  return 0;
}
