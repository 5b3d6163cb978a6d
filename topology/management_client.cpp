#include "topology/management_client.hpp"

#include <nlohmann/json.hpp>

#include "net/http_client.hpp"
#include "net/redact.hpp"
#include "net/url.hpp"

namespace tradewind::topology {

namespace {

arg_table read_arguments(const nlohmann::json& j) {
  arg_table out;
  if (!j.is_object())
    return out;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const auto& v = it.value();
    if (v.is_string())
      out[it.key()] = v.get<std::string>();
    else if (v.is_boolean())
      out[it.key()] = v.get<bool>();
    else if (v.is_number_integer())
      out[it.key()] = v.get<int64_t>();
    else
      out[it.key()] = v.dump(); // kept as text: still compared, never equal to an integer
  }
  return out;
}

template <class T>
T value_or(const nlohmann::json& j, const char* key, T fallback) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null())
    return fallback;
  return it->get<T>();
}

} // namespace

management_client::management_client(const std::string& url, int64_t timeout_ms) : timeout_ms_(timeout_ms) {
  auto parts = net::split_credentials(url);
  base_url_ = parts.url;
  while (!base_url_.empty() && base_url_.back() == '/')
    base_url_.pop_back();
  if (!parts.user.empty())
    authorization_ = "Basic " + net::base64(parts.user + ":" + parts.password);
  shown_url_ = tradewind::redact_url(url);
}

management_client::reply management_client::call(const std::string& method, const std::string& path,
                                                 const std::string& body) const {
  http::request req;
  req.method = method;
  req.url = base_url_ + path;
  req.timeout_ms = timeout_ms_;
  if (!authorization_.empty())
    req.headers.emplace_back("Authorization", authorization_);
  if (!body.empty()) {
    req.content_type = "application/json";
    req.body = body;
  }
  auto res = http::send(req);
  reply r;
  r.status = res.status;
  r.body = std::move(res.body);
  if (!res.received())
    r.error = "management API " + shown_url_ + ": " + res.error;
  else if (res.status == 401)
    r.error = "management API " + shown_url_ + ": 401 Unauthorized (check the user and password in the URL)";
  return r;
}

fetch_result management_client::fetch_state(const std::string& vhost) const {
  fetch_result out;
  broker_state s;
  s.vhost = vhost;
  std::string v = net::percent_encode(vhost);
  auto get = [&](const std::string& what, nlohmann::json& into) -> bool {
    auto r = call("GET", "/api/" + what + "/" + v);
    if (!r.error.empty()) {
      out.error = r.error;
      return false;
    }
    if (r.status == 404) {
      out.error = "vhost \"" + vhost + "\" does not exist on the broker (" + shown_url_ +
                  "); create it first, e.g. rabbitmqctl add_vhost " + vhost;
      return false;
    }
    if (r.status != 200) {
      out.error = "management API " + shown_url_ + ": GET /api/" + what + "/" + v + " returned " +
                  std::to_string(r.status) + ": " + r.body.substr(0, 200);
      return false;
    }
    into = nlohmann::json::parse(r.body, nullptr, false);
    if (!into.is_array()) {
      out.error = "management API " + shown_url_ + ": GET /api/" + what + "/" + v + " did not return a JSON array";
      return false;
    }
    return true;
  };
  nlohmann::json exchanges, queues, bindings;
  try {
    if (!get("exchanges", exchanges) || !get("queues", queues) || !get("bindings", bindings))
      return out;
    for (const auto& e : exchanges) {
      auto name = value_or<std::string>(e, "name", "");
      if (name.empty() || name.rfind("amq.", 0) == 0)
        continue;
      s.exchanges.push_back({name, value_or<std::string>(e, "type", ""), value_or(e, "durable", false),
                             value_or(e, "auto_delete", false), value_or(e, "internal", false),
                             read_arguments(value_or(e, "arguments", nlohmann::json::object()))});
    }
    for (const auto& q : queues)
      s.queues.push_back({value_or<std::string>(q, "name", ""), value_or(q, "durable", false),
                          value_or(q, "auto_delete", false),
                          read_arguments(value_or(q, "arguments", nlohmann::json::object()))});
    for (const auto& b : bindings) {
      auto source = value_or<std::string>(b, "source", "");
      if (source.empty() || value_or<std::string>(b, "destination_type", "") != "queue")
        continue;
      s.bindings.push_back({source, value_or<std::string>(b, "destination", ""),
                            value_or<std::string>(b, "routing_key", ""),
                            read_arguments(value_or(b, "arguments", nlohmann::json::object()))});
    }
  } catch (const nlohmann::json::exception& e) { // adapter edge: malformed replies become errors
    out.error = "management API " + shown_url_ + ": unexpected reply: " + e.what();
    return out;
  }
  out.state = std::move(s);
  return out;
}

std::string management_client::create_vhost(const std::string& vhost) const {
  auto r = call("PUT", "/api/vhosts/" + net::percent_encode(vhost), "{}");
  if (!r.error.empty())
    return r.error;
  if (r.status != 201 && r.status != 204)
    return "management API " + shown_url_ + ": creating vhost \"" + vhost + "\" returned " + std::to_string(r.status) +
           ": " + r.body.substr(0, 200);
  return "";
}

std::string management_client::delete_vhost(const std::string& vhost) const {
  auto r = call("DELETE", "/api/vhosts/" + net::percent_encode(vhost));
  if (!r.error.empty())
    return r.error;
  if (r.status != 204 && r.status != 404)
    return "management API " + shown_url_ + ": deleting vhost \"" + vhost + "\" returned " + std::to_string(r.status) +
           ": " + r.body.substr(0, 200);
  return "";
}

} // namespace tradewind::topology
