#include "topology/amqp_admin.hpp"

#include "topology/impl/amqp_connection.hpp"

namespace tradewind::topology {

namespace {

using impl::bytes_of;

/// Points into `table`, which must outlive the result's use.
impl::field_table to_args(const arg_table& table) {
  impl::field_table args;
  for (const auto& entry : table)
    std::visit([&](const auto& x) { args.add(entry.first.c_str(), x); }, entry.second);
  return args;
}

} // namespace

amqp_admin::amqp_admin(std::unique_ptr<impl::amqp_connection> conn) : conn_(std::move(conn)) {}

amqp_admin::~amqp_admin() = default;

std::unique_ptr<amqp_admin> amqp_admin::connect(const std::string& url, const std::string& vhost, std::string& error,
                                                int timeout_ms) {
  auto conn = std::make_unique<impl::amqp_connection>();
  // No heartbeats (the admin's calls are short); a refused declaration leaves the next usable.
  error = conn->open({url, vhost, 0, timeout_ms, true});
  if (!error.empty())
    return nullptr;
  return std::unique_ptr<amqp_admin>(new amqp_admin(std::move(conn)));
}

std::string amqp_admin::declare(const exchange_state& e) {
  auto args = to_args(e.arguments);
  amqp_exchange_declare(conn_->state(), conn_->channel(), bytes_of(e.name), bytes_of(e.type), 0, e.durable ? 1 : 0,
                        e.auto_delete ? 1 : 0, e.internal ? 1 : 0, args.table());
  return conn_->check("declaring exchange \"" + e.name + "\"");
}

std::string amqp_admin::declare(const queue_state& q) {
  auto args = to_args(q.arguments);
  amqp_queue_declare(conn_->state(), conn_->channel(), bytes_of(q.name), 0, q.durable ? 1 : 0, 0, q.auto_delete ? 1 : 0,
                     args.table());
  return conn_->check("declaring queue \"" + q.name + "\"");
}

std::string amqp_admin::bind(const binding_state& b) {
  auto args = to_args(b.arguments);
  amqp_queue_bind(conn_->state(), conn_->channel(), bytes_of(b.queue), bytes_of(b.exchange), bytes_of(b.routing_key),
                  args.table());
  return conn_->check("binding queue \"" + b.queue + "\" to exchange \"" + b.exchange + "\" with key \"" +
                      b.routing_key + "\"");
}

std::string amqp_admin::declare_all(const broker_state& s) {
  for (const auto& e : s.exchanges)
    if (auto err = declare(e); !err.empty())
      return err;
  for (const auto& q : s.queues)
    if (auto err = declare(q); !err.empty())
      return err;
  for (const auto& b : s.bindings)
    if (auto err = bind(b); !err.empty())
      return err;
  return "";
}

} // namespace tradewind::topology
