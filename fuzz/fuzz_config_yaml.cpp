// Any bytes as a node config file.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view yaml{reinterpret_cast<const char*>(data), size};
  auto r = tradewind::load_config_text(yaml, "/nonexistent-fuzz-dir", {});
  (void)tradewind::format_errors(r.errors, "fuzz.yaml");
  return 0;
}
