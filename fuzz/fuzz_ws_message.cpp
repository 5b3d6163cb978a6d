// Any bytes as a WebSocket stream client message (subscribe / unsubscribe), applied to a
// client's topic set over a sequence of messages split at NUL bytes.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string_view>

#include "bridge/rest/stream_protocol.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view all{reinterpret_cast<const char*>(data), size};
  std::set<tradewind::rest::stream_topic> topics;
  for (size_t start = 0; start <= all.size();) {
    size_t end = all.find('\0', start);
    if (end == std::string_view::npos)
      end = all.size();
    (void)tradewind::rest::apply_stream_message(all.substr(start, end - start), topics);
    start = end + 1;
  }
  return 0;
}
