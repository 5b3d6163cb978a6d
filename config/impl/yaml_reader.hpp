#pragma once
// The strict YAML reader (config/yaml_reader.hpp) with the getters for the config's own value
// types: decimals, severities and feed formats. Internal to the config library.

#include <string_view>

#include "config/loader.hpp"
#include "config/node_config.hpp"
#include "config/yaml_reader.hpp"

namespace tradewind::config_impl {

using yaml::read_context;

/// yaml::map_reader plus fixed, severity and feed_format; sections and list items are read
/// with this reader too.
class map_reader : public yaml::map_reader {
public:
  using yaml::map_reader::map_reader;
  using yaml::map_reader::get;

  /// A decimal parsed from the scalar text, never through double, so 0.1 stays exactly 0.1.
  void get(std::string_view key, fixed& out);
  void get(std::string_view key, severity& out);
  void get(std::string_view key, feed_format& out);

  map_reader section(std::string_view key) { return section_as<map_reader>(key); }

  template <class T, class F>
  void list(std::string_view key, std::vector<T>& out, F read_item) {
    list_as<map_reader>(key, out, read_item);
  }
};

/// A reader's problem as a config error (from the YAML text, so with no variable as source).
config_error to_config_error(yaml::problem p);

} // namespace tradewind::config_impl
