#include "bridge/rest/stream_protocol.hpp"

#include <vector>

#include <nlohmann/json.hpp>

#include "schemas/json/strict.hpp"

namespace tradewind::rest {

namespace {

std::string dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string error(std::string detail) {
  return dump({{"type", "error"}, {"detail", std::move(detail)}});
}

} // namespace

std::string_view to_string(stream_topic t) {
  switch (t) {
    case stream_topic::ticks: return "ticks";
    case stream_topic::signals: return "signals";
    case stream_topic::orders: return "orders";
    case stream_topic::fills: return "fills";
    case stream_topic::positions: return "positions";
    case stream_topic::alerts: return "alerts";
    case stream_topic::risk_state: return "risk_state";
  }
  return "ticks";
}

std::optional<stream_topic> parse_stream_topic(std::string_view text) {
  for (auto t : all_stream_topics)
    if (text == to_string(t))
      return t;
  return std::nullopt;
}

std::string apply_stream_message(std::string_view text, std::set<stream_topic>& topics) {
  nlohmann::json msg;
  // Depth-capped while parsing: a deeply nested message is refused before any value is built.
  if (auto err = json::parse_strict(text, msg))
    return error("message refused: " + err->message());
  auto action = msg.is_object() && msg.contains("action") && msg["action"].is_string()
                  ? msg["action"].get<std::string>() : std::string{};
  if (action != "subscribe" && action != "unsubscribe")
    return error("expected {\"action\":\"subscribe\"|\"unsubscribe\",\"topics\":[...]}");
  if (!msg.contains("topics") || !msg["topics"].is_array())
    return error("field 'topics' must be an array of topic names");
  std::vector<stream_topic> wanted;
  const auto& list = msg["topics"];
  for (size_t i = 0; i < list.size(); ++i) {
    const auto& t = list[i];
    auto parsed = t.is_string() ? parse_stream_topic(t.get_ref<const std::string&>()) : std::nullopt;
    if (!parsed) {
      // Never dump() the value: it is the client's and may be large or deep.
      auto shown = t.is_string() ? json::quoted_preview(t.get_ref<const std::string&>())
                                 : std::string{"a JSON "} + t.type_name();
      return error("topics[" + std::to_string(i) + "]: unknown topic " + shown
                   + " (expected ticks|signals|orders|fills|positions|alerts|risk_state)");
    }
    wanted.push_back(*parsed);
  }
  for (auto t : wanted) {
    if (action == "subscribe")
      topics.insert(t);
    else
      topics.erase(t);
  }
  nlohmann::json now = nlohmann::json::array();
  for (auto t : topics)
    now.push_back(std::string{to_string(t)});
  return dump({{"type", action == "subscribe" ? "subscribed" : "unsubscribed"}, {"topics", now}});
}

} // namespace tradewind::rest
