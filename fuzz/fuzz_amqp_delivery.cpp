// Any bytes as an AMQP delivery body, as JSON or MessagePack, on any local topic.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "bridge/amqp/wire.hpp"
#include "schemas/topics.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tradewind;
  if (size < 2)
    return 0;
  auto t = all_topics[data[0] % all_topics.size()];
  std::string_view content_type = data[1] % 2 ? amqp::content_type_msgpack : amqp::content_type_json;
  std::string_view body{reinterpret_cast<const char*>(data) + 2, size - 2};
  amqp::dedupe_window seen{16};
  (void)amqp::inspect_delivery(body, "peer", "me", t, seen, content_type);
  return 0;
}
