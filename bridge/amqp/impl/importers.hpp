#pragma once
// The consumer actors of one node, so that its publishers can tell a message a local actor
// produced from one a consumer imported (which must not be exported again: no loops).
// Internal to bridge/amqp.

#include <algorithm>
#include <mutex>
#include <vector>

#include "caf/actor_addr.hpp"

namespace tradewind::amqp {

/// Consumers register when they start and are never removed (a message a consumer imported
/// may still wait in a publisher's mailbox after the consumer stopped); a restart adds one
/// address, so the list stays as small as the number of consumer incarnations.
class importer_registry {
public:
  void add(const caf::actor_addr& a) {
    std::lock_guard<std::mutex> guard{mutex_};
    addrs_.push_back(a);
  }
  bool contains(const caf::actor_addr& a) const {
    std::lock_guard<std::mutex> guard{mutex_};
    return std::find(addrs_.begin(), addrs_.end(), a) != addrs_.end();
  }

private:
  mutable std::mutex mutex_;
  std::vector<caf::actor_addr> addrs_;
};

} // namespace tradewind::amqp
