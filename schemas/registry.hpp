#pragma once
// Registers every Tradewind message type with a CAF actor system configuration.

namespace caf {
class actor_system_config;
} // namespace caf

namespace tradewind {

/// Adds all schema types (see schemas/*.hpp) to `cfg` so they can be serialized.
void register_message_types(caf::actor_system_config& cfg);

} // namespace tradewind
