// Any bytes as a wire envelope of any message type (AMQP JSON bodies, REST control commands).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "schemas/json/codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text{reinterpret_cast<const char*>(data), size};
  auto r = tradewind::json::from_envelope(text);
  if (r.ok()) // a decoded message must encode again and decode to a message too
    (void)tradewind::json::from_envelope(tradewind::json::to_envelope(r.value()));
  return 0;
}
