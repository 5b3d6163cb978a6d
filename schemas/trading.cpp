#include "schemas/trading.hpp"

namespace tradewind {

order order_from_intent(const order_intent& in, int64_t ts_ms) {
  order o;
  o.client_order_id = in.client_order_id;
  o.strategy_id = in.strategy_id;
  o.symbol = in.symbol;
  o.order_side = in.order_side;
  o.type = in.type;
  o.qty = in.qty;
  o.limit_price = in.limit_price;
  o.reduce_only = in.reduce_only;
  o.status = order_status::new_order;
  o.created_ts_ms = ts_ms;
  o.updated_ts_ms = ts_ms;
  return o;
}

} // namespace tradewind
