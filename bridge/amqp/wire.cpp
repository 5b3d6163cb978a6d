#include "bridge/amqp/wire.hpp"

#include <algorithm>
#include <cstdio>
#include <type_traits>
#include <utility>

#include <nlohmann/json.hpp>

#include "schemas/json/strict.hpp"

#include "topology/names.hpp"

namespace tradewind::amqp {

namespace {

constexpr std::string_view strategy_prefix = "strategy:";

uint64_t fnv1a64(std::string_view bytes) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string hex16(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

template <class T, class = void>
struct has_symbol_field : std::false_type {};
template <class T>
struct has_symbol_field<T, std::void_t<decltype(std::declval<const T&>().symbol)>> : std::true_type {};

template <class T>
constexpr int version_of(const T&) {
  return T::schema_version;
}

} // namespace

topology::message_type type_of(const json::any_message& msg) {
  // The wire names of schemas/json and topology/model.hpp are the same by construction.
  return *topology::parse_message_type(json::type_name(msg));
}

std::string symbol_of(const json::any_message& msg) {
  return std::visit(
    [](const auto& x) -> std::string {
      if constexpr (has_symbol_field<std::decay_t<decltype(x)>>::value)
        return x.symbol;
      else
        return {};
    },
    msg);
}

std::string message_id(const json::any_message& msg, std::string_view body, std::string_view origin) {
  std::string type{json::type_name(msg)};
  if (auto* x = std::get_if<order_intent>(&msg))
    return type + ":" + x->client_order_id;
  if (auto* x = std::get_if<risk_decision>(&msg))
    return type + ":" + x->client_order_id;
  if (auto* x = std::get_if<fill>(&msg))
    return type + ":" + x->fill_id;
  return type + ":" + std::string(origin) + ":" + hex16(fnv1a64(body));
}

std::string qualify_source(const std::string& source, std::string_view node) {
  if (source.compare(0, strategy_prefix.size(), strategy_prefix) != 0 || source.find('@') != std::string::npos)
    return source;
  return source + "@" + std::string(node);
}

std::string encode_body(const json::any_message& msg, topology::wire_encoding encoding) {
  auto text = json::to_envelope(msg);
  if (encoding == topology::wire_encoding::json)
    return text;
  auto packed = nlohmann::json::to_msgpack(nlohmann::json::parse(text));
  return std::string(packed.begin(), packed.end());
}

namespace {

/// The JSON text of a body in `content_type` (MessagePack is converted into `scratch`);
/// nullopt with `error` set when it is not readable.
std::optional<std::string_view> body_text(std::string_view body, std::string_view content_type, std::string& scratch,
                                          std::string& error) {
  if (content_type.empty() || content_type == content_type_json)
    return body;
  if (content_type != content_type_msgpack) {
    error = "unsupported content type \"" + std::string(content_type) + "\" (use " + content_type_json + " or "
            + content_type_msgpack + ")";
    return std::nullopt;
  }
  // Depth-capped and duplicate-free before the DOM is built (schemas/json/strict.hpp), so the
  // dump() below cannot recurse deeper than the cap.
  nlohmann::json doc;
  if (auto err = json::parse_strict_msgpack(body, doc)) {
    error = "cannot decode: " + (err->kind == json::parse_failure::malformed ? std::string{"not MessagePack"}
                                                                             : err->message());
    return std::nullopt;
  }
  scratch = doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return std::string_view{scratch};
}

} // namespace

outgoing make_outgoing(json::any_message msg, const topology::publication& pub, std::string_view node,
                       std::string trace_id, int64_t now_ms) {
  if (auto* wm = std::get_if<watermark>(&msg); wm && pub.id == topic::signals)
    wm->source = qualify_source(wm->source, node);
  outgoing out;
  out.exchange = pub.exchange;
  auto type = type_of(msg);
  out.routing_key = topology::routing_key(*pub.route, type, node, symbol_of(msg));
  out.body = encode_body(msg, pub.route->encoding);
  out.content_type = pub.route->encoding == topology::wire_encoding::msgpack ? content_type_msgpack : content_type_json;
  out.message_id = message_id(msg, out.body, node);
  out.type = std::string(json::type_name(msg));
  out.schema_version = std::visit([](const auto& x) { return version_of(x); }, msg);
  out.origin_node = std::string(node);
  out.trace_id = std::move(trace_id);
  out.sent_at_ms = now_ms;
  out.persistent = true;
  return out;
}

bool repeat_gate::failure(int64_t now_ms) {
  ++streak_;
  if (streak_ > 1 && now_ms - last_alert_ms_ < interval_ms_) {
    ++since_alert_;
    return false;
  }
  last_alert_ms_ = now_ms;
  not_alerted_ = since_alert_;
  since_alert_ = 0;
  return true;
}

void repeat_gate::success() {
  streak_ = 0;
  since_alert_ = 0;
  not_alerted_ = 0;
}

std::string repeat_gate::note() const {
  if (streak_ <= 1)
    return {};
  return " (attempt " + std::to_string(streak_) + "; " + std::to_string(not_alerted_)
         + " failed attempts since the last alert were logged only)";
}

bool dedupe_window::insert(const std::string& id) {
  if (!ids_.insert(id).second)
    return false;
  order_.push_back(id);
  while (order_.size() > capacity_) {
    ids_.erase(order_.front());
    order_.pop_front();
  }
  return true;
}

inspection inspect_delivery(std::string_view body, std::string_view origin, std::string_view own_node, topic t,
                            dedupe_window& seen, std::string_view content_type) {
  inspection out;
  if (!origin.empty() && origin == own_node) {
    out.what = verdict::own_origin;
    return out;
  }
  std::string scratch;
  auto text = body_text(body, content_type, scratch, out.reason);
  if (!text) {
    out.what = verdict::dead_letter;
    return out;
  }
  auto decoded = json::from_envelope(*text);
  if (!decoded) {
    out.what = verdict::dead_letter;
    out.reason = "cannot decode: " + decoded.error().message();
    return out;
  }
  auto type = type_of(decoded.value());
  const auto& types = topology::info(t).types;
  if (std::find(types.begin(), types.end(), type) == types.end()) {
    out.what = verdict::dead_letter;
    out.reason = "type " + std::string(topology::to_string(type)) + " does not travel on topic "
                 + std::string(topic_name(t));
    return out;
  }
  out.id = message_id(decoded.value(), body, origin);
  if (!seen.insert(out.id)) {
    out.what = verdict::duplicate;
    return out;
  }
  out.what = verdict::deliver;
  out.message = std::move(decoded).value();
  return out;
}

} // namespace tradewind::amqp
