#include "actors/core/node_context.hpp"

#include <chrono>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace tradewind {

std::shared_ptr<node_context> make_node_context(const std::string& node_name,
                                                const std::string& level,
                                                const std::string& format) {
  auto ctx = std::make_shared<node_context>();
  ctx->node_name = node_name;
  auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  ctx->log = std::make_shared<spdlog::logger>("tradewind", sink);
  if (format == "json")
    ctx->log->set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","node":")" + node_name +
                              R"(","msg":"%v"})",
                          spdlog::pattern_time_type::utc);
  else
    ctx->log->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%-5l%$ node=" + node_name + " %v",
                          spdlog::pattern_time_type::utc);
  ctx->log->set_level(spdlog::level::from_str(level));
  ctx->wall_clock_ms = [] {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  };
  return ctx;
}

} // namespace tradewind
