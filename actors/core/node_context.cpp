#include "actors/core/node_context.hpp"

#include "actors/core/crash_points.hpp"
#include "actors/core/latency_tracker.hpp"
#include "actors/core/metrics_registry.hpp"

#include <chrono>
#include <cstdio>
#include <string_view>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace tradewind {

namespace {

/// `%j`: the log message escaped for a JSON string, so `log.format: json` stays valid JSON
/// whatever a message contains.
void put(spdlog::memory_buf_t& dest, std::string_view text) {
  dest.append(text.data(), text.data() + text.size());
}

class json_message_flag : public spdlog::custom_flag_formatter {
public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    for (char c : std::string_view{msg.payload.data(), msg.payload.size()}) {
      switch (c) {
        case '"': put(dest, "\\\""); break;
        case '\\': put(dest, "\\\\"); break;
        case '\n': put(dest, "\\n"); break;
        case '\t': put(dest, "\\t"); break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            put(dest, buf);
          } else {
            dest.push_back(c);
          }
      }
    }
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<json_message_flag>();
  }
};

} // namespace

std::shared_ptr<node_context> make_node_context(const std::string& node_name,
                                                const std::string& level,
                                                const std::string& format) {
  auto ctx = std::make_shared<node_context>();
  ctx->node_name = node_name;
  auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  ctx->log = std::make_shared<spdlog::logger>("tradewind", sink);
  if (format == "json") {
    auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
    formatter->add_flag<json_message_flag>('j').set_pattern(
      R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","node":")" + node_name + R"(","msg":"%j"})");
    ctx->log->set_formatter(std::move(formatter));
  } else
    ctx->log->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%-5l%$ node=" + node_name + " %v",
                          spdlog::pattern_time_type::utc);
  ctx->log->set_level(spdlog::level::from_str(level));
  ctx->latency = std::make_shared<latency_tracker>();
  ctx->crash = std::make_shared<crash_points>();
  ctx->metrics = std::make_shared<metrics_registry>();
  ctx->wall_clock_ms = [] {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  };
  return ctx;
}

} // namespace tradewind
