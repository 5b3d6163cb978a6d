// Any bytes as a cluster topology file.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "topology/loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view yaml{reinterpret_cast<const char*>(data), size};
  auto r = tradewind::topology::load_text(yaml, "/nonexistent-fuzz-dir");
  (void)tradewind::topology::format_errors(r.errors, "fuzz.yaml");
  return 0;
}
