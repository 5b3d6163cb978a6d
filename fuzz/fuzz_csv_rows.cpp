// Any bytes as a recorded feed file, as candles or as trades (first byte).
#include <cstddef>
#include <cstdint>
#include <string>

#include "actors/collectors/csv_source.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tradewind;
  if (size == 0)
    return 0;
  auto format = data[0] % 2 ? feed_format::trades : feed_format::candles;
  std::string text{reinterpret_cast<const char*>(data) + 1, size - 1};
  auto src = csv_source::from_string(std::move(text), "fuzz.csv", "FUZZUSDT", format);
  while (src->next())
    (void)src->drain_errors();
  (void)src->drain_errors();
  return 0;
}
