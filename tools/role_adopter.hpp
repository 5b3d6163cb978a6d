#pragma once
// Failover of strategy nodes: when membership reports a strategy node lost, the heir (the
// first remaining strategy node by name, amqp::heir_of) runs the lost node's role in its own
// process — the lost node's actors, config and queues, under the lost node's name, in a second
// actor system. Its queues are streams, so the adopted role replays them from their first
// offset: that rebuilds the strategies' state (warm-up) and re-sends what the lost node had
// sent; the trading node drops those copies (de-duplication by message id, then the risk gate
// drops signals it decided already). Design: bridge/amqp/README.md "Failover".

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bridge/amqp/membership_table.hpp"
#include "topology/model.hpp"

namespace tradewind {

struct node_context;

class role_adopter {
public:
  /// `self`: this node's name; `ctx`: this node's context (its log).
  role_adopter(topology::model m, std::string self, std::shared_ptr<node_context> ctx);
  ~role_adopter();
  role_adopter(const role_adopter&) = delete;
  role_adopter& operator=(const role_adopter&) = delete;

  /// Membership callback (membership thread): adopts `lost` when this node is its heir and
  /// has not adopted it already; true when it did now.
  bool on_node_lost(const std::string& lost, const std::vector<amqp::member>& remaining);

  /// After this node's own run: waits for every adopted role to end (a finite replay) or,
  /// when `interrupted`, stops them. Returns false when a role could not start or did not
  /// flush its messages for other nodes; `report` gets one summary per role.
  bool finish(bool interrupted, std::string& report);

private:
  struct role;
  void run_role(role& r);

  topology::model model_;
  std::string self_;
  std::shared_ptr<node_context> ctx_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<role>> roles_;
};

} // namespace tradewind
