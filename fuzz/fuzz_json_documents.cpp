// Any bytes as the bare JSON document of one message type; the first byte picks the type.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "schemas/json/codec.hpp"

namespace {
using namespace tradewind;

template <class T>
void decode(std::string_view text) {
  auto r = json::from_json<T>(text);
  if (r.ok())
    (void)json::from_json<T>(json::to_json(r.value()));
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0)
    return 0;
  std::string_view text{reinterpret_cast<const char*>(data) + 1, size - 1};
  switch (data[0] % 20) {
    case 0: decode<trade_tick>(text); break;
    case 1: decode<bar>(text); break;
    case 2: decode<signal>(text); break;
    case 3: decode<order_intent>(text); break;
    case 4: decode<risk_decision>(text); break;
    case 5: decode<order>(text); break;
    case 6: decode<fill>(text); break;
    case 7: decode<cancel_request>(text); break;
    case 8: decode<position_update>(text); break;
    case 9: decode<account_snapshot>(text); break;
    case 10: decode<alert>(text); break;
    case 11: decode<control_command>(text); break;
    case 12: decode<heartbeat>(text); break;
    case 13: decode<watermark>(text); break;
    case 14: decode<risk_limits_update>(text); break;
    case 15: decode<risk_limits_report>(text); break;
    case 16: decode<strategy_update>(text); break;
    case 17: decode<strategy_report>(text); break;
    case 18: decode<risk_limits>(text); break;
    default: decode<strategy_params>(text); break;
  }
  return 0;
}
