// Any bytes as the REST bridge's API-key file (read from disk, as the bridge does).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <unistd.h>

#include "bridge/rest/api_keys.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = "/tmp/tradewind-fuzz-keys-" + std::to_string(::getpid()) + ".json";
  {
    std::ofstream out{path, std::ios::binary | std::ios::trunc};
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  (void)tradewind::rest::load_keys(path, false);
  (void)tradewind::rest::split_token(std::string_view{reinterpret_cast<const char*>(data), size});
  return 0;
}
