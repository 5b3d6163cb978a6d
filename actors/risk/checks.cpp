#include "actors/risk/checks.hpp"

#include <string>

#include "actors/risk/sizing.hpp"

namespace tradewind::risk {

namespace {

/// A denial (reason + detail), or nothing when the check passes.
struct verdict {
  deny_reason reason = deny_reason::none;
  std::string detail;
  explicit operator bool() const { return reason != deny_reason::none; }
};

verdict deny(deny_reason r, std::string detail) {
  return {r, std::move(detail)};
}

/// The denial for a pre-trade amount that does not fit `fixed`.
verdict unrepresentable(const std::string& what, const fixed_result& r) {
  return deny(deny_reason::invalid_order, what + ": " + r.error_text());
}

verdict check_valid(const order_intent& in) {
  if (in.qty <= fixed{})
    return deny(deny_reason::invalid_order, "qty " + in.qty.to_string() + " <= 0");
  if (in.type == order_type::limit && in.limit_price <= fixed{})
    return deny(deny_reason::invalid_order,
                "limit order needs a positive limit_price, got " + in.limit_price.to_string());
  if (in.type == order_type::market && !in.limit_price.is_zero())
    return deny(deny_reason::invalid_order,
                "market order with limit_price " + in.limit_price.to_string());
  return {};
}

verdict check_halted(const check_context& ctx) {
  if (ctx.state.state == trading_state::halted)
    return deny(ctx.state.reason, ctx.state.why);
  return {};
}

verdict check_duplicate(const order_intent& in, const check_context& ctx) {
  if (ctx.duplicate)
    return deny(deny_reason::duplicate_order,
                "client_order_id " + in.client_order_id + " already decided");
  return {};
}

verdict check_reducing(bool reduces, fixed exposure, fixed after, const check_context& ctx) {
  if (ctx.state.state == trading_state::reducing && !reduces)
    return deny(ctx.state.reason, ctx.state.why + ": exposure " + exposure.to_string()
                                            + " -> " + after.to_string() + " is not reducing");
  return {};
}

verdict check_collar(const order_intent& in, fixed last, const risk_config& cfg) {
  if (in.type != order_type::limit)
    return {};
  // Both prices are positive (check_valid, last_price_of), so the difference fits.
  auto diff = *(in.limit_price - last).abs();
  // Exact integer comparison of diff / last > bps / 10 000, free of rounding (products of
  // two int64 always fit 128 bits).
  auto lhs = static_cast<__int128>(diff.raw) * 10'000;
  auto rhs = static_cast<__int128>(last.raw) * cfg.price_collar_bps;
  if (lhs <= rhs)
    return {};
  auto dev_bps = diff * fixed::from_int<10'000>() / last;
  return deny(deny_reason::price_collar,
              "limit " + in.limit_price.to_string() + " is " + dev_bps.to_string()
                + " bps from last " + last.to_string() + " > price_collar_bps "
                + std::to_string(cfg.price_collar_bps));
}

verdict check_notional(const order_intent& in, fixed last, const risk_config& cfg) {
  auto price = in.type == order_type::limit ? in.limit_price : last;
  auto notional_r = in.qty * price;
  if (!notional_r)
    return unrepresentable("notional qty " + in.qty.to_string() + " × price " + price.to_string()
                             + " does not fit",
                           notional_r);
  auto notional = *notional_r;
  if (notional > cfg.max_order_notional)
    return deny(deny_reason::max_notional, "notional " + notional.to_string()
                                             + " > max_order_notional "
                                             + cfg.max_order_notional.to_string());
  return {};
}

verdict check_position(fixed after, fixed last, const check_context& ctx,
                       const risk_config& cfg) {
  auto notional_r = after.abs() * last;
  if (!notional_r)
    return unrepresentable("position notional |" + after.to_string() + "| × last "
                             + last.to_string() + " does not fit",
                           notional_r);
  auto limit_r = ctx.equity.pct(cfg.max_position_pct);
  if (!limit_r)
    return unrepresentable("position limit does not fit", limit_r);
  auto notional = *notional_r;
  auto limit = *limit_r;
  if (notional > limit)
    return deny(deny_reason::max_position,
                "position notional " + notional.to_string() + " > " + limit.to_string()
                  + " (max_position_pct " + cfg.max_position_pct.to_string() + " of equity "
                  + ctx.equity.to_string() + ")");
  return {};
}

verdict check_open_orders(const check_context& ctx, const risk_config& cfg) {
  if (ctx.open_orders >= cfg.max_open_orders)
    return deny(deny_reason::max_open_orders, "open orders " + std::to_string(ctx.open_orders)
                                                + " >= max_open_orders "
                                                + std::to_string(cfg.max_open_orders));
  return {};
}

verdict check_rate(const check_context& ctx, const risk_config& cfg) {
  if (ctx.approved_in_window >= cfg.max_orders_per_window)
    return deny(deny_reason::rate_limited,
                "approved orders " + std::to_string(ctx.approved_in_window) + " in last "
                  + std::to_string(cfg.rate_window_ms) + " ms >= max_orders_per_window "
                  + std::to_string(cfg.max_orders_per_window));
  return {};
}

verdict run_checks(const order_intent& in, const check_context& ctx, const risk_config& cfg) {
  if (auto v = check_valid(in))
    return v;
  if (auto v = check_halted(ctx))
    return v;
  if (auto v = check_duplicate(in, ctx))
    return v;
  auto exposure_r = ctx.position + ctx.open_net;
  if (!exposure_r)
    return unrepresentable("exposure (position " + ctx.position.to_string() + " + open orders "
                             + ctx.open_net.to_string() + ") does not fit",
                           exposure_r);
  auto exposure = *exposure_r;
  auto delta = *signed_qty(in.order_side, in.qty); // qty > 0 here, so -qty fits
  auto after_r = exposure + delta;
  if (!after_r)
    return unrepresentable("exposure " + exposure.to_string() + " + order "
                             + delta.to_string() + " does not fit",
                           after_r);
  auto after = *after_r;
  bool reduces = reduces_exposure(exposure, delta);
  if (auto v = check_reducing(reduces, exposure, after, ctx))
    return v;
  if (!ctx.last_price)
    return deny(deny_reason::no_market_data, "no last price for " + in.symbol);
  auto last = *ctx.last_price;
  if (auto v = check_collar(in, last, cfg))
    return v;
  if (auto v = check_notional(in, last, cfg))
    return v;
  if (!reduces) {
    if (auto v = check_position(after, last, ctx, cfg))
      return v;
    if (auto v = check_open_orders(ctx, cfg))
      return v;
  }
  return check_rate(ctx, cfg);
}

} // namespace

risk_decision check_intent(const order_intent& intent, const check_context& ctx,
                           const risk_config& cfg) {
  risk_decision d;
  d.client_order_id = intent.client_order_id;
  d.strategy_id = intent.strategy_id;
  d.symbol = intent.symbol;
  d.ts_ms = intent.ts_ms;
  auto v = run_checks(intent, ctx, cfg);
  d.approved = !v;
  d.reason = v.reason;
  d.detail = std::move(v.detail);
  return d;
}

} // namespace tradewind::risk
