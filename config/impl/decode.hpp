#pragma once
// YAML tree → node_config, key by key. Types and known keys only; the rules live in
// config/validate.cpp. Internal to the config library.

#include <string>

#include <yaml-cpp/yaml.h>

#include "config/impl/yaml_reader.hpp"
#include "config/node_config.hpp"

namespace tradewind::config_impl {

/// Decodes `root` into a config holding the struct defaults for absent keys. Relative feed
/// paths are resolved against `base_dir` (absolute) and stored resolved.
node_config decode_node_config(const YAML::Node& root, const std::string& base_dir, read_context& ctx);

} // namespace tradewind::config_impl
