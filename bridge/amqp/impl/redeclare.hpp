#pragma once
// Declares the node's topology again after a (re)connect (idempotent; internal to bridge/amqp).

#include <string>

#include "bridge/amqp/link.hpp"

namespace tradewind::amqp {

/// Declares settings.declarations on a short-lived admin connection; error text or empty.
std::string redeclare(const link_settings& settings);

} // namespace tradewind::amqp
