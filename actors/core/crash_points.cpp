#include "actors/core/crash_points.hpp"

#include <csignal>
#include <cstdlib>

#include <unistd.h>

namespace tradewind {

const std::vector<std::string>& crash_points::known() {
  static const std::vector<std::string> names{
    "outbox_written", // risk gate: outbox transaction committed, intents not sent yet
    "states_written", // risk gate: changed trading states committed, nothing of that step published
    "intents_sent",   // risk gate: intents sent, executor acknowledgement not stored yet
    "store_commit",   // store writer: about to commit a batch (acks, fills, order updates)
  };
  return names;
}

std::optional<crash_points> crash_points::parse(std::string_view spec, std::string& error) {
  crash_points out;
  auto known_list = [] {
    std::string s;
    for (const auto& k : known())
      s += (s.empty() ? "" : ", ") + k;
    return s;
  };
  while (!spec.empty()) {
    auto comma = spec.find(',');
    auto part = spec.substr(0, comma);
    spec = comma == std::string_view::npos ? std::string_view{} : spec.substr(comma + 1);
    auto colon = part.find(':');
    auto name = std::string{part.substr(0, colon)};
    bool known_name = false;
    for (const auto& k : known())
      known_name = known_name || k == name;
    if (!known_name) {
      error = "TRADEWIND_CRASH_AT: unknown point '" + name + "' (known: " + known_list() + ")";
      return std::nullopt;
    }
    char* end = nullptr;
    auto digits = colon == std::string_view::npos ? std::string{} : std::string{part.substr(colon + 1)};
    auto at = std::strtoull(digits.c_str(), &end, 10);
    if (digits.empty() || *end != '\0' || at == 0) {
      error = "TRADEWIND_CRASH_AT: '" + std::string{part} + "' must be point:N with N >= 1";
      return std::nullopt;
    }
    auto p = std::make_unique<armed_point>();
    p->name = name;
    p->at = at;
    out.armed_.push_back(std::move(p));
  }
  return out;
}

crash_points::armed_point* crash_points::find(std::string_view point) {
  for (auto& a : armed_)
    if (a->name == point)
      return a.get();
  return nullptr;
}

void crash_points::kill_now() {
  ::kill(::getpid(), SIGKILL);
  std::abort(); // not reached
}

} // namespace tradewind
