#include "config/impl/yaml_reader.hpp"

namespace tradewind::config_impl {

void map_reader::get(std::string_view key, fixed& out) {
  get_parsed(
    key, out, "a decimal number", [](const std::string& text) { return fixed::parse(text); },
    [](const std::string& text) { return "expected a decimal number with at most 8 fractional digits, got " + text; });
}

void map_reader::get(std::string_view key, severity& out) {
  get_parsed(
    key, out, "a severity", [](const std::string& text) { return enum_from_string<severity>(text); },
    [](const std::string& text) { return "must be one of info|warning|critical, got " + text; });
}

void map_reader::get(std::string_view key, feed_format& out) {
  get_parsed(
    key, out, "a feed format",
    [](const std::string& text) -> std::optional<feed_format> {
      if (text == "candles")
        return feed_format::candles;
      if (text == "trades")
        return feed_format::trades;
      return std::nullopt;
    },
    [](const std::string& text) { return "must be one of candles|trades, got " + text; });
}

config_error to_config_error(yaml::problem p) {
  return config_error{std::move(p.path), std::move(p.reason), {}, p.line, p.column};
}

} // namespace tradewind::config_impl
