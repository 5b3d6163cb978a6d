// JSON codec: exact wire text, round trips of every message type, strict-decoding errors with
// their exact messages, the envelope, and the *.schema.json documents pinned to the encoder.

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "schemas/json/codec.hpp"

namespace tradewind {
// Readable gtest failure output for decimals.
void PrintTo(const fixed& x, std::ostream* os) { *os << x.to_string(); }
} // namespace tradewind

namespace {

using namespace tradewind;
using namespace tradewind::json;
using ojson = nlohmann::ordered_json;

fixed dec(const char* text) { return *fixed::parse(text); }

// ------------------------------------------------------------------------ samples (non-default
// values everywhere, negative and 8-digit decimals, extreme integers, nested vectors)

trade_tick sample_trade_tick() {
  return {"BTCUSDT", 1'672'531'200'123, 2'468'013'579, side::sell, dec("16616.75"), dec("0.00000001")};
}

bar sample_bar() {
  return {"ETHUSDT", 1'672'531'200'000, 60'000, dec("1196.5"), dec("1201.12345678"),
          dec("1190.00000001"), dec("1200"), dec("92233720368.54775807")};
}

tradewind::signal sample_signal() {
  return {"ma_cross", "BTCUSDT", 1'672'531'260'000, 18'446'744'073'709'551'615u, -1,
          dec("-0.25"), dec("16600.1"), "ma_cross_down fast=10 slow=30"};
}

order_intent sample_order_intent() {
  return {"ma_cross-BTCUSDT-7", "ma_cross", "BTCUSDT", side::sell, order_type::limit,
          dec("0.12345678"), dec("16650.5"), true, 1'672'531'260'000};
}

risk_decision sample_risk_decision() {
  return {"ma_cross-BTCUSDT-7", "ma_cross", "BTCUSDT", false, deny_reason::max_notional,
          "notional 12000 > limit 10000", 1'672'531'260'000};
}

order sample_order() {
  return {"ma_cross-BTCUSDT-7", "ma_cross", "BTCUSDT", side::buy, order_type::market, dec("0.5"),
          dec("0"), false, order_status::partially_filled, dec("0.2"), dec("16616.75000001"),
          1'672'531'260'000, 1'672'531'320'000, ""};
}

fill sample_fill() {
  return {"ma_cross-BTCUSDT-7-1", "ma_cross-BTCUSDT-7", "ma_cross", "BTCUSDT", side::buy,
          dec("16616.75"), dec("0.06"), dec("0.99700500"), 1'672'531'320'000};
}

cancel_request sample_cancel_request() {
  return {"", "kill switch: operator \"ops\" said so", -9'223'372'036'854'775'807 - 1};
}

position_update sample_position_update(const char* symbol, const char* qty) {
  return {symbol, dec(qty), dec("16616.75"), dec("16700"), dec("-12.34567891"), dec("5.00000001"),
          1'672'531'320'000};
}
position_update sample_position_update() { return sample_position_update("BTCUSDT", "-0.06"); }

account_snapshot sample_account_snapshot() {
  account_snapshot x{1'672'531'320'000, dec("9000.5"), dec("10003.12345678"), dec("-12.34567891"),
                     dec("5.00000001"), dec("0.997005"), dec("10100"), dec("0.96225361"),
                     dec("10000"), {}, {}, {}};
  x.positions = {sample_position_update("BTCUSDT", "0.06"), sample_position_update("ETHUSDT", "0"),
                 sample_position_update("SOLUSDT", "-92233720368.54775808")};
  x.open_orders = {sample_order()};
  x.strategy_positions = {{"ma_fast", "BTCUSDT", *fixed::parse("-0.06")}};
  return x;
}

alert sample_alert() {
  return {severity::critical, "breaker_tripped", "risk", "drawdown 12.5% > 10% \u2014 halted", 42};
}

control_command sample_control_command() {
  return {control_action::reduce_only, scope_kind::strategy, "ma_cross", "drawdown", "api-key-7",
          1'672'531'320'000};
}

heartbeat sample_heartbeat() {
  return {"node-a", 17, 1'672'531'320'000, {"collector", "risk", "executor"}, trading_state::reducing};
}

watermark sample_watermark() { return {"strategy:ma_cross", 9'223'372'036'854'775'807, true}; }

risk_limits sample_risk_limits() {
  return {dec("12.5"), dec("2500.00000001"), 3, 250, 7, 30'000, dec("0.5"), dec("99.99999999")};
}

risk_limits_update sample_risk_limits_update() {
  return {"api-k1-7", sample_risk_limits(), "tighter for the FOMC", "api:k1", 1'672'531'320'000};
}

risk_limits_report sample_risk_limits_report() {
  return {"trading", "api-k1-8", false, "max_open_orders: must be >= 1, got 0", sample_risk_limits(),
          -9'223'372'036'854'775'807 - 1};
}

trading_state_changed sample_trading_state_changed() {
  return {"trading", scope_kind::strategy, "ma_cross", trading_state::halted, state_cause::operator_command,
          1'672'531'320'000, "halt strategy ma_cross by api:k1: news"};
}

strategy_params sample_strategy_params() {
  return {5, 2'147'483'647, dec("1234.5"), dec("0.00000001"), true};
}

strategy_update sample_strategy_update() {
  return {"api-k1-9", "ma_cross", sample_strategy_params(), "slower", "api:k1", 1'672'531'320'000};
}

strategy_report sample_strategy_report() {
  return {"strategy-2", "ma_cross", "api-k1-9", true, "", sample_strategy_params(), 42};
}

// ------------------------------------------------------------------------ field-by-field equality

void expect_same(const trade_tick& a, const trade_tick& b) {
  EXPECT_EQ(a.symbol, b.symbol);
  EXPECT_EQ(a.ts_ms, b.ts_ms);
  EXPECT_EQ(a.trade_id, b.trade_id);
  EXPECT_EQ(a.aggressor, b.aggressor);
  EXPECT_EQ(a.price, b.price);
  EXPECT_EQ(a.qty, b.qty);
}

void expect_same(const bar& a, const bar& b) {
  EXPECT_EQ(a.symbol, b.symbol);
  EXPECT_EQ(a.open_time_ms, b.open_time_ms);
  EXPECT_EQ(a.interval_ms, b.interval_ms);
  EXPECT_EQ(a.open, b.open);
  EXPECT_EQ(a.high, b.high);
  EXPECT_EQ(a.low, b.low);
  EXPECT_EQ(a.close, b.close);
  EXPECT_EQ(a.volume, b.volume);
}

void expect_same(const tradewind::signal& a, const tradewind::signal& b) {
  EXPECT_EQ(a.strategy_id, b.strategy_id);
  EXPECT_EQ(a.symbol, b.symbol);
  EXPECT_EQ(a.ts_ms, b.ts_ms);
  EXPECT_EQ(a.seq, b.seq);
  EXPECT_EQ(a.direction, b.direction);
  EXPECT_EQ(a.target_qty, b.target_qty);
  EXPECT_EQ(a.reference_price, b.reference_price);
  EXPECT_EQ(a.reason, b.reason);
}

void expect_same(const order_intent& a, const order_intent& b) {
  EXPECT_EQ(a.client_order_id, b.client_order_id);
  EXPECT_EQ(a.strategy_id, b.strategy_id);
  EXPECT_EQ(a.symbol, b.symbol);
  EXPECT_EQ(a.order_side, b.order_side);
  EXPECT_EQ(a.type, b.type);
  EXPECT_EQ(a.qty, b.qty);
  EXPECT_EQ(a.limit_price, b.limit_price);
  EXPECT_EQ(a.reduce_only, b.reduce_only);
  EXPECT_EQ(a.ts_ms, b.ts_ms);
}

void expect_same(const risk_decision& a, const risk_decision& b) {
  EXPECT_EQ(a.client_order_id, b.client_order_id);
  EXPECT_EQ(a.strategy_id, b.strategy_id);
  EXPECT_EQ(a.symbol, b.symbol);
  EXPECT_EQ(a.approved, b.approved);
  EXPECT_EQ(a.reason, b.reason);
  EXPECT_EQ(a.detail, b.detail);
  EXPECT_EQ(a.ts_ms, b.ts_ms);
}

void expect_same(const order& a, const order& b) {
  EXPECT_EQ(a.client_order_id, b.client_order_id);
  EXPECT_EQ(a.strategy_id, b.strategy_id);
  EXPECT_EQ(a.symbol, b.symbol);
  EXPECT_EQ(a.order_side, b.order_side);
  EXPECT_EQ(a.type, b.type);
  EXPECT_EQ(a.qty, b.qty);
  EXPECT_EQ(a.limit_price, b.limit_price);
  EXPECT_EQ(a.reduce_only, b.reduce_only);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.filled_qty, b.filled_qty);
  EXPECT_EQ(a.avg_fill_price, b.avg_fill_price);
  EXPECT_EQ(a.created_ts_ms, b.created_ts_ms);
  EXPECT_EQ(a.updated_ts_ms, b.updated_ts_ms);
  EXPECT_EQ(a.reject_reason, b.reject_reason);
}

void expect_same(const fill& a, const fill& b) {
  EXPECT_EQ(a.fill_id, b.fill_id);
  EXPECT_EQ(a.client_order_id, b.client_order_id);
  EXPECT_EQ(a.strategy_id, b.strategy_id);
  EXPECT_EQ(a.symbol, b.symbol);
  EXPECT_EQ(a.order_side, b.order_side);
  EXPECT_EQ(a.price, b.price);
  EXPECT_EQ(a.qty, b.qty);
  EXPECT_EQ(a.fee, b.fee);
  EXPECT_EQ(a.ts_ms, b.ts_ms);
}

void expect_same(const cancel_request& a, const cancel_request& b) {
  EXPECT_EQ(a.client_order_id, b.client_order_id);
  EXPECT_EQ(a.reason, b.reason);
  EXPECT_EQ(a.ts_ms, b.ts_ms);
}

void expect_same(const position_update& a, const position_update& b) {
  EXPECT_EQ(a.symbol, b.symbol);
  EXPECT_EQ(a.qty, b.qty);
  EXPECT_EQ(a.avg_entry_price, b.avg_entry_price);
  EXPECT_EQ(a.last_price, b.last_price);
  EXPECT_EQ(a.realized_pnl, b.realized_pnl);
  EXPECT_EQ(a.unrealized_pnl, b.unrealized_pnl);
  EXPECT_EQ(a.ts_ms, b.ts_ms);
}

void expect_same(const account_snapshot& a, const account_snapshot& b) {
  EXPECT_EQ(a.ts_ms, b.ts_ms);
  EXPECT_EQ(a.cash, b.cash);
  EXPECT_EQ(a.equity, b.equity);
  EXPECT_EQ(a.realized_pnl, b.realized_pnl);
  EXPECT_EQ(a.unrealized_pnl, b.unrealized_pnl);
  EXPECT_EQ(a.fees_paid, b.fees_paid);
  EXPECT_EQ(a.high_water_mark, b.high_water_mark);
  EXPECT_EQ(a.drawdown_pct, b.drawdown_pct);
  EXPECT_EQ(a.day_start_equity, b.day_start_equity);
  ASSERT_EQ(a.positions.size(), b.positions.size());
  for (size_t i = 0; i < a.positions.size(); ++i)
    expect_same(a.positions[i], b.positions[i]);
  ASSERT_EQ(a.strategy_positions.size(), b.strategy_positions.size());
  for (size_t i = 0; i < a.strategy_positions.size(); ++i) {
    EXPECT_EQ(a.strategy_positions[i].strategy_id, b.strategy_positions[i].strategy_id);
    EXPECT_EQ(a.strategy_positions[i].symbol, b.strategy_positions[i].symbol);
    EXPECT_EQ(a.strategy_positions[i].qty, b.strategy_positions[i].qty);
  }
  ASSERT_EQ(a.open_orders.size(), b.open_orders.size());
  for (size_t i = 0; i < a.open_orders.size(); ++i)
    expect_same(a.open_orders[i], b.open_orders[i]);
}

void expect_same(const alert& a, const alert& b) {
  EXPECT_EQ(a.level, b.level);
  EXPECT_EQ(a.code, b.code);
  EXPECT_EQ(a.source, b.source);
  EXPECT_EQ(a.message, b.message);
  EXPECT_EQ(a.ts_ms, b.ts_ms);
}

void expect_same(const control_command& a, const control_command& b) {
  EXPECT_EQ(a.action, b.action);
  EXPECT_EQ(a.scope, b.scope);
  EXPECT_EQ(a.scope_id, b.scope_id);
  EXPECT_EQ(a.reason, b.reason);
  EXPECT_EQ(a.issued_by, b.issued_by);
  EXPECT_EQ(a.ts_ms, b.ts_ms);
}

void expect_same(const risk_limits& a, const risk_limits& b) {
  EXPECT_EQ(a.max_position_pct, b.max_position_pct);
  EXPECT_EQ(a.max_order_notional, b.max_order_notional);
  EXPECT_EQ(a.max_open_orders, b.max_open_orders);
  EXPECT_EQ(a.price_collar_bps, b.price_collar_bps);
  EXPECT_EQ(a.max_orders_per_window, b.max_orders_per_window);
  EXPECT_EQ(a.rate_window_ms, b.rate_window_ms);
  EXPECT_EQ(a.daily_loss_limit_pct, b.daily_loss_limit_pct);
  EXPECT_EQ(a.max_drawdown_pct, b.max_drawdown_pct);
}

void expect_same(const risk_limits_update& a, const risk_limits_update& b) {
  EXPECT_EQ(a.update_id, b.update_id);
  expect_same(a.limits, b.limits);
  EXPECT_EQ(a.reason, b.reason);
  EXPECT_EQ(a.issued_by, b.issued_by);
  EXPECT_EQ(a.ts_ms, b.ts_ms);
}

void expect_same(const risk_limits_report& a, const risk_limits_report& b) {
  EXPECT_EQ(a.node, b.node);
  EXPECT_EQ(a.update_id, b.update_id);
  EXPECT_EQ(a.accepted, b.accepted);
  EXPECT_EQ(a.error, b.error);
  expect_same(a.limits, b.limits);
  EXPECT_EQ(a.ts_ms, b.ts_ms);
}

void expect_same(const strategy_params& a, const strategy_params& b) {
  EXPECT_EQ(a.fast, b.fast);
  EXPECT_EQ(a.slow, b.slow);
  EXPECT_EQ(a.order_notional, b.order_notional);
  EXPECT_EQ(a.qty_step, b.qty_step);
  EXPECT_EQ(a.allow_short, b.allow_short);
}

void expect_same(const strategy_update& a, const strategy_update& b) {
  EXPECT_EQ(a.update_id, b.update_id);
  EXPECT_EQ(a.strategy_id, b.strategy_id);
  expect_same(a.params, b.params);
  EXPECT_EQ(a.reason, b.reason);
  EXPECT_EQ(a.issued_by, b.issued_by);
  EXPECT_EQ(a.ts_ms, b.ts_ms);
}

void expect_same(const strategy_report& a, const strategy_report& b) {
  EXPECT_EQ(a.node, b.node);
  EXPECT_EQ(a.strategy_id, b.strategy_id);
  EXPECT_EQ(a.update_id, b.update_id);
  EXPECT_EQ(a.accepted, b.accepted);
  EXPECT_EQ(a.error, b.error);
  expect_same(a.params, b.params);
  EXPECT_EQ(a.ts_ms, b.ts_ms);
}

void expect_same(const trading_state_changed& a, const trading_state_changed& b) {
  EXPECT_EQ(a.node, b.node);
  EXPECT_EQ(a.scope, b.scope);
  EXPECT_EQ(a.scope_id, b.scope_id);
  EXPECT_EQ(a.state, b.state);
  EXPECT_EQ(a.cause, b.cause);
  EXPECT_EQ(a.ts_ms, b.ts_ms);
  EXPECT_EQ(a.detail, b.detail);
}

void expect_same(const heartbeat& a, const heartbeat& b) {
  EXPECT_EQ(a.node, b.node);
  EXPECT_EQ(a.seq, b.seq);
  EXPECT_EQ(a.ts_ms, b.ts_ms);
  EXPECT_EQ(a.actors, b.actors);
  EXPECT_EQ(a.state, b.state);
}

void expect_same(const watermark& a, const watermark& b) {
  EXPECT_EQ(a.source, b.source);
  EXPECT_EQ(a.ts_ms, b.ts_ms);
  EXPECT_EQ(a.end_of_stream, b.end_of_stream);
}

/// Every sample, one per alternative of any_message, in variant order.
std::vector<any_message> all_samples() {
  return {sample_trade_tick(),     sample_bar(),           sample_signal(),
          sample_order_intent(),   sample_risk_decision(), sample_order(),
          sample_fill(),           sample_cancel_request(), sample_position_update(),
          sample_account_snapshot(), sample_alert(),       sample_control_command(),
          sample_heartbeat(),      sample_watermark(),     sample_risk_limits_update(),
          sample_risk_limits_report(), sample_strategy_update(), sample_strategy_report(),
          sample_trading_state_changed()};
}

std::string error_of_fill(const std::string& text) {
  auto r = from_json<fill>(text);
  return r ? "<decoded>" : r.error().message();
}

/// The sample fill as JSON with `edit` applied, for error tests that change one thing.
template <class Edit>
std::string edited_fill(Edit edit) {
  auto j = ojson::parse(to_json(sample_fill()));
  edit(j);
  return j.dump();
}

ojson read_json_file(const std::string& name) {
  std::ifstream in(std::string(TW_SOURCE_DIR) + "/schemas/json/" + name);
  EXPECT_TRUE(in) << "cannot open schemas/json/" << name;
  std::stringstream buf;
  buf << in.rdbuf();
  return ojson::parse(buf.str());
}

// ============================================================================ exact wire text

TEST(json_codec, encodes_fields_in_struct_order_with_decimal_strings_and_enum_names) {
  EXPECT_EQ(to_json(sample_fill()),
            R"({"fill_id":"ma_cross-BTCUSDT-7-1","client_order_id":"ma_cross-BTCUSDT-7",)"
            R"("strategy_id":"ma_cross","symbol":"BTCUSDT","order_side":"buy","price":"16616.75",)"
            R"("qty":"0.06","fee":"0.997005","ts_ms":1672531320000})");
  EXPECT_EQ(to_json(sample_signal()),
            R"({"strategy_id":"ma_cross","symbol":"BTCUSDT","ts_ms":1672531260000,)"
            R"("seq":18446744073709551615,"direction":-1,"target_qty":"-0.25",)"
            R"("reference_price":"16600.1","reason":"ma_cross_down fast=10 slow=30"})");
}

TEST(json_codec, encodes_nested_vectors_as_arrays) {
  EXPECT_EQ(to_json(sample_heartbeat()),
            R"({"node":"node-a","seq":17,"ts_ms":1672531320000,)"
            R"("actors":["collector","risk","executor"],"state":"reducing"})");
  auto snapshot = sample_account_snapshot();
  snapshot.positions.resize(1);
  snapshot.open_orders.clear();
  snapshot.strategy_positions.clear();
  EXPECT_EQ(to_json(snapshot),
            R"({"ts_ms":1672531320000,"cash":"9000.5","equity":"10003.12345678",)"
            R"("realized_pnl":"-12.34567891","unrealized_pnl":"5.00000001","fees_paid":"0.997005",)"
            R"("high_water_mark":"10100","drawdown_pct":"0.96225361","day_start_equity":"10000",)"
            R"("positions":[{"symbol":"BTCUSDT","qty":"0.06","avg_entry_price":"16616.75",)"
            R"("last_price":"16700","realized_pnl":"-12.34567891","unrealized_pnl":"5.00000001",)"
            R"("ts_ms":1672531320000}],"open_orders":[],"strategy_positions":[]})");
}

TEST(json_codec, wraps_messages_in_a_versioned_envelope) {
  EXPECT_EQ(to_envelope(sample_watermark()),
            R"({"type":"watermark","schema_version":1,"data":{"source":"strategy:ma_cross",)"
            R"("ts_ms":9223372036854775807,"end_of_stream":true}})");
  EXPECT_EQ(to_envelope(any_message{sample_watermark()}), to_envelope(sample_watermark()));
  EXPECT_EQ(type_name<account_snapshot>(), "account_snapshot");
  EXPECT_EQ(type_name(any_message{sample_fill()}), "fill");
}

TEST(json_codec, encoding_never_throws_on_invalid_utf8) {
  auto a = sample_alert();
  a.message = "bad \xff byte";
  EXPECT_EQ(ojson::parse(to_json(a))["message"], "bad \xef\xbf\xbd byte"); // U+FFFD
}

// ============================================================================ round trips

template <class T>
void expect_round_trip(const T& x) {
  SCOPED_TRACE(std::string(type_name<T>()));
  auto text = to_json(x);
  auto decoded = from_json<T>(text);
  ASSERT_TRUE(decoded) << decoded.error().message();
  expect_same(decoded.value(), x);
  EXPECT_EQ(to_json(decoded.value()), text);

  auto as = from_envelope_as<T>(to_envelope(x));
  ASSERT_TRUE(as) << as.error().message();
  expect_same(as.value(), x);

  auto any = from_envelope(to_envelope(x));
  ASSERT_TRUE(any) << any.error().message();
  ASSERT_TRUE(std::holds_alternative<T>(any.value()));
  expect_same(std::get<T>(any.value()), x);
}

TEST(json_codec, round_trips_every_message_type) {
  auto samples = all_samples();
  ASSERT_EQ(samples.size(), std::variant_size_v<any_message>);
  for (size_t i = 0; i < samples.size(); ++i) {
    EXPECT_EQ(samples[i].index(), i);
    std::visit([](const auto& x) { expect_round_trip(x); }, samples[i]);
  }
}

TEST(json_codec, nested_limits_and_params_decode_on_their_own_and_describe_their_changes) {
  auto text = to_json(sample_risk_limits());
  EXPECT_EQ(text, R"({"max_position_pct":"12.5","max_order_notional":"2500.00000001","max_open_orders":3,)"
                  R"("price_collar_bps":250,"max_orders_per_window":7,"rate_window_ms":30000,)"
                  R"("daily_loss_limit_pct":"0.5","max_drawdown_pct":"99.99999999"})");
  auto back = from_json<risk_limits>(text);
  ASSERT_TRUE(back) << back.error().message();
  expect_same(back.value(), sample_risk_limits());
  EXPECT_EQ(from_json<risk_limits>(R"({"max_open_orders":1})").error().message(),
            "field 'max_position_pct': missing required field");
  auto params = from_json<strategy_params>(to_json(sample_strategy_params()));
  ASSERT_TRUE(params);
  expect_same(params.value(), sample_strategy_params());
  EXPECT_EQ(describe_changes(risk_limits{}, sample_risk_limits()),
            "max_position_pct 50 -> 12.5, max_order_notional 10000 -> 2500.00000001, max_open_orders 10 -> 3, "
            "price_collar_bps 500 -> 250, max_orders_per_window 30 -> 7, rate_window_ms 60000 -> 30000, "
            "daily_loss_limit_pct 5 -> 0.5, max_drawdown_pct 20 -> 99.99999999");
  EXPECT_EQ(describe_changes(risk_limits{}, risk_limits{}), "");
  strategy_params shorting;
  shorting.allow_short = true;
  EXPECT_EQ(describe_changes(strategy_params{}, shorting), "allow_short false -> true");
}

TEST(json_codec, round_trips_default_values_and_empty_vectors) {
  expect_round_trip(account_snapshot{});
  expect_round_trip(heartbeat{});
  expect_round_trip(order{});
}

TEST(json_codec, round_trips_extreme_decimals_exactly) {
  for (auto raw : {int64_t{1}, int64_t{-1}, int64_t{-9'223'372'036'854'775'807} - 1,
                   int64_t{9'223'372'036'854'775'807}, int64_t{12'345'678'912'345'678}}) {
    auto t = sample_trade_tick();
    t.price = fixed::from_raw(raw);
    auto decoded = from_json<trade_tick>(to_json(t));
    ASSERT_TRUE(decoded) << decoded.error().message();
    EXPECT_EQ(decoded.value().price.raw, raw);
  }
}

TEST(json_codec, accepts_any_decimal_text_fixed_parse_accepts) {
  auto text = edited_fill([](ojson& j) {
    j["price"] = "+16616.750000000";
    j["qty"] = ".06";
    j["fee"] = "-0";
  });
  auto decoded = from_json<fill>(text);
  ASSERT_TRUE(decoded) << decoded.error().message();
  EXPECT_EQ(decoded.value().price, dec("16616.75"));
  EXPECT_EQ(decoded.value().qty, dec("0.06"));
  EXPECT_EQ(decoded.value().fee, fixed{});
}

TEST(json_codec, ignores_key_order_and_whitespace) {
  auto decoded =
    from_json<watermark>(" {\n \"end_of_stream\" : false, \"ts_ms\": -5,\t\"source\":\"risk\"} ");
  ASSERT_TRUE(decoded) << decoded.error().message();
  EXPECT_EQ(decoded.value().source, "risk");
  EXPECT_EQ(decoded.value().ts_ms, -5);
  EXPECT_FALSE(decoded.value().end_of_stream);
}

// ============================================================================ strict decoding

TEST(json_strict, rejects_a_missing_field) {
  EXPECT_EQ(error_of_fill(edited_fill([](ojson& j) { j.erase("price"); })),
            "field 'price': missing required field");
}

TEST(json_strict, rejects_an_unknown_field) {
  EXPECT_EQ(error_of_fill(edited_fill([](ojson& j) { j["venue"] = "binance"; })),
            "field 'venue': unknown field");
}

TEST(json_strict, rejects_a_duplicate_field) {
  EXPECT_EQ(from_json<watermark>(R"({"source":"a","ts_ms":1,"ts_ms":2,"end_of_stream":false})")
              .error()
              .message(),
            "field 'ts_ms': duplicate field");
  auto snapshot = ojson::parse(to_json(sample_account_snapshot()));
  auto text = snapshot.dump();
  // Give positions[1] a second "symbol" key.
  auto at = text.find(R"("symbol":"ETHUSDT")");
  text.insert(at, R"("symbol":"X",)");
  EXPECT_EQ(from_json<account_snapshot>(text).error().message(),
            "field 'positions[1].symbol': duplicate field");
}

TEST(json_strict, rejects_wrong_json_types) {
  EXPECT_EQ(error_of_fill(edited_fill([](ojson& j) { j["ts_ms"] = "1672531320000"; })),
            "field 'ts_ms': expected an integer, got string");
  EXPECT_EQ(error_of_fill(edited_fill([](ojson& j) { j["ts_ms"] = 1.5; })),
            "field 'ts_ms': expected an integer, got number");
  EXPECT_EQ(error_of_fill(edited_fill([](ojson& j) { j["symbol"] = 7; })),
            "field 'symbol': expected a string, got number");
  EXPECT_EQ(error_of_fill(edited_fill([](ojson& j) { j["fill_id"] = nullptr; })),
            "field 'fill_id': expected a string, got null");
  EXPECT_EQ(error_of_fill(edited_fill([](ojson& j) { j["order_side"] = true; })),
            "field 'order_side': expected a string, got boolean");
  EXPECT_EQ(from_json<watermark>(R"({"source":"a","ts_ms":1,"end_of_stream":"true"})")
              .error()
              .message(),
            "field 'end_of_stream': expected a boolean, got string");
  EXPECT_EQ(from_json<heartbeat>(R"({"node":"n","seq":1,"ts_ms":1,"actors":"risk","state":"active"})")
              .error()
              .message(),
            "field 'actors': expected an array, got string");
  EXPECT_EQ(from_json<heartbeat>(R"({"node":"n","seq":1,"ts_ms":1,"actors":["a",2],"state":"active"})")
              .error()
              .message(),
            "field 'actors[1]': expected a string, got number");
}

TEST(json_strict, rejects_out_of_range_integers) {
  auto with = [](const char* field, const char* literal) {
    auto j = ojson::parse(to_json(sample_signal()));
    auto text = j.dump();
    auto key = std::string("\"") + field + "\":";
    auto start = text.find(key) + key.size();
    auto end = text.find(',', start);
    text.replace(start, end - start, literal);
    return from_json<tradewind::signal>(text).error().message();
  };
  EXPECT_EQ(with("direction", "2147483648"),
            "field 'direction': integer out of range for int32 (got 2147483648)");
  EXPECT_EQ(with("direction", "-2147483649"),
            "field 'direction': integer out of range for int32 (got -2147483649)");
  EXPECT_EQ(with("seq", "-1"), "field 'seq': integer out of range for uint64 (got -1)");
  EXPECT_EQ(with("ts_ms", "9223372036854775808"),
            "field 'ts_ms': integer out of range for int64 (got 9223372036854775808)");
  // Beyond 64 bits nlohmann holds the literal as a double.
  EXPECT_EQ(with("seq", "18446744073709551616"),
            "field 'seq': integer out of range for uint64 (got 1.8446744073709552e+19)");
  EXPECT_EQ(with("ts_ms", "1e3"), "field 'ts_ms': expected an integer, got number");
}

TEST(json_strict, rejects_an_unknown_enum_name) {
  EXPECT_EQ(error_of_fill(edited_fill([](ojson& j) { j["order_side"] = "hold"; })),
            "field 'order_side': unknown value \"hold\" (expected one of: buy, sell)");
  EXPECT_EQ(error_of_fill(edited_fill([](ojson& j) { j["order_side"] = "BUY"; })),
            "field 'order_side': unknown value \"BUY\" (expected one of: buy, sell)");
  auto order_json = ojson::parse(to_json(sample_order()));
  order_json["status"] = "new_order"; // the C++ name, not the wire name "new"
  EXPECT_EQ(from_json<order>(order_json.dump()).error().message(),
            "field 'status': unknown value \"new_order\" (expected one of: new, accepted, "
            "partially_filled, filled, cancelled, rejected)");
}

TEST(json_strict, rejects_bad_decimal_text) {
  const char* expected_tail = " (expected plain decimal text with at most 8 fractional digits)";
  for (const char* bad : {"1e5", "0.000000001", "", "12a", "1,5", " 1", "NaN", "0x10",
                          "99999999999", "92233720368.9"}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(error_of_fill(edited_fill([&](ojson& j) { j["price"] = bad; })),
              std::string("field 'price': invalid decimal ") + ojson(bad).dump() + expected_tail);
  }
  EXPECT_EQ(error_of_fill(edited_fill([](ojson& j) { j["fee"] = std::string(60, '7') + "x"; })),
            "field 'fee': invalid decimal \"7777777777777777777777777777777777777777...\"" +
              std::string(expected_tail));
}

TEST(json_strict, rejects_a_number_where_a_decimal_string_belongs) {
  // A JSON number has been through someone's double: "0.1" may arrive as 0.1000000000000000055.
  EXPECT_EQ(error_of_fill(edited_fill([](ojson& j) { j["price"] = 16616.75; })),
            "field 'price': expected a decimal string, got number");
  EXPECT_EQ(error_of_fill(edited_fill([](ojson& j) { j["qty"] = 1; })),
            "field 'qty': expected a decimal string, got number");
}

TEST(json_strict, names_the_path_inside_nested_vectors) {
  auto j = ojson::parse(to_json(sample_account_snapshot()));
  j["positions"][2]["qty"] = 0.5;
  EXPECT_EQ(from_json<account_snapshot>(j.dump()).error().message(),
            "field 'positions[2].qty': expected a decimal string, got number");
  j = ojson::parse(to_json(sample_account_snapshot()));
  j["open_orders"][0]["status"] = "done";
  EXPECT_EQ(from_json<account_snapshot>(j.dump()).error().message(),
            "field 'open_orders[0].status': unknown value \"done\" (expected one of: new, "
            "accepted, partially_filled, filled, cancelled, rejected)");
  j = ojson::parse(to_json(sample_account_snapshot()));
  j["positions"][1] = "ETHUSDT";
  EXPECT_EQ(from_json<account_snapshot>(j.dump()).error().message(),
            "field 'positions[1]': expected an object, got string");
  j = ojson::parse(to_json(sample_account_snapshot()));
  j["positions"][0].erase("ts_ms");
  auto error = from_json<account_snapshot>(j.dump()).error();
  EXPECT_EQ(error.path, "positions[0].ts_ms");
  EXPECT_EQ(error.reason, "missing required field");
}

TEST(json_strict, reports_the_first_error_in_field_order) {
  auto text = edited_fill([](ojson& j) {
    j["zzz"] = 1;
    j["fee"] = 1;
    j["symbol"] = 1;
  });
  EXPECT_EQ(error_of_fill(text), "field 'symbol': expected a string, got number");
}

TEST(json_strict, requires_an_object_at_the_top) {
  EXPECT_EQ(error_of_fill("[]"), "expected an object, got array");
  EXPECT_EQ(error_of_fill("\"fill\""), "expected an object, got string");
  EXPECT_EQ(error_of_fill("null"), "expected an object, got null");
}

TEST(json_strict, reports_malformed_json_with_the_parser_position) {
  EXPECT_EQ(error_of_fill(R"({"fill_id":)"),
            "malformed JSON: [json.exception.parse_error.101] parse error at line 1, column 12: "
            "syntax error while parsing value - unexpected end of input; expected '[', '{', or a "
            "literal");
  EXPECT_EQ(error_of_fill(""),
            "malformed JSON: [json.exception.parse_error.101] parse error at line 1, column 1: "
            "syntax error while parsing value - unexpected end of input; expected '[', '{', or a "
            "literal");
  EXPECT_EQ(error_of_fill("{} {}"),
            "malformed JSON: [json.exception.parse_error.101] parse error at line 1, column 4: "
            "syntax error while parsing value - unexpected '{'; expected end of input");
  // The parser quotes the bad byte; the message keeps U+FFFD instead so it stays valid UTF-8.
  EXPECT_EQ(error_of_fill("{\"fill_id\":\"\xff\"}"),
            "malformed JSON: [json.exception.parse_error.101] parse error at line 1, column 13: "
            "syntax error while parsing value - invalid string: ill-formed UTF-8 byte; "
            "last read: '\"\xef\xbf\xbd'");
}

TEST(json_strict, never_throws_on_hostile_input) {
  std::string deep(100'000, '[');
  // Refused while parsing (schemas/json/strict.hpp), before any value is built.
  EXPECT_EQ(from_json<heartbeat>(deep + std::string(100'000, ']')).error().reason, "nesting deeper than 32 levels");
  EXPECT_FALSE(from_json<heartbeat>(deep));
  std::string nested_objects;
  for (int i = 0; i < 10'000; ++i)
    nested_objects += R"({"a":)";
  EXPECT_FALSE(from_json<watermark>(nested_objects + "1" + std::string(10'000, '}')));
  EXPECT_FALSE(from_envelope(std::string("\0\0\0", 3)));
  EXPECT_FALSE(from_envelope("{\"type\":\"fill\",\"schema_version\":1,\"data\":" + deep));
}

// ============================================================================ envelope

TEST(json_envelope, rejects_a_different_type_than_asked_for) {
  EXPECT_EQ(from_envelope_as<fill>(to_envelope(sample_order())).error().message(),
            "field 'type': expected \"fill\", got \"order\"");
}

TEST(json_envelope, rejects_an_unknown_type) {
  auto env = ojson::parse(to_envelope(sample_fill()));
  env["type"] = "fills";
  EXPECT_EQ(from_envelope(env.dump()).error().message(),
            "field 'type': unknown message type \"fills\"");
}

TEST(json_envelope, rejects_an_unsupported_version) {
  auto env = ojson::parse(to_envelope(sample_fill()));
  env["schema_version"] = 2;
  EXPECT_EQ(from_envelope(env.dump()).error().message(),
            "field 'schema_version': unsupported version 2 for fill (supported: 1)");
  EXPECT_EQ(from_envelope_as<fill>(env.dump()).error().message(),
            "field 'schema_version': unsupported version 2 for fill (supported: 1)");
  env["schema_version"] = "1";
  EXPECT_EQ(from_envelope(env.dump()).error().message(),
            "field 'schema_version': expected an integer, got string");
}

TEST(json_envelope, prefixes_data_errors_with_data) {
  auto env = ojson::parse(to_envelope(sample_account_snapshot()));
  env["data"]["positions"][2]["qty"] = 1;
  EXPECT_EQ(from_envelope(env.dump()).error().message(),
            "field 'data.positions[2].qty': expected a decimal string, got number");
  env["data"] = ojson::array();
  EXPECT_EQ(from_envelope(env.dump()).error().message(), "field 'data': expected an object, got array");
}

TEST(json_envelope, is_strict_about_its_own_fields) {
  EXPECT_EQ(from_envelope(R"({"type":"fill","schema_version":1})").error().message(),
            "field 'data': missing required field");
  EXPECT_EQ(from_envelope(R"({"schema_version":1,"data":{}})").error().message(),
            "field 'type': missing required field");
  auto env = ojson::parse(to_envelope(sample_watermark()));
  env["sent_at"] = 5;
  EXPECT_EQ(from_envelope(env.dump()).error().message(), "field 'sent_at': unknown field");
  EXPECT_EQ(from_envelope("[1]").error().message(), "expected an object, got array");
  EXPECT_EQ(from_envelope(R"({"type":1,"schema_version":1,"data":{}})").error().message(),
            "field 'type': expected a string, got number");
}

// ============================================================================ schema documents

/// Keys of a JSON object in document order.
std::vector<std::string> keys_of(const ojson& object) {
  std::vector<std::string> out;
  for (auto it = object.begin(); it != object.end(); ++it)
    out.push_back(it.key());
  return out;
}

std::vector<std::string> strings_of(const ojson& array) {
  std::vector<std::string> out;
  for (const auto& x : array)
    out.push_back(x.get<std::string>());
  return out;
}

template <class E>
std::vector<std::string> enum_names() {
  std::vector<std::string> out;
  for (unsigned i = 0; to_string(static_cast<E>(i)) != "unknown"; ++i)
    out.emplace_back(to_string(static_cast<E>(i)));
  return out;
}

/// Checks that the value the encoder produced for one property has the kind the schema documents.
void expect_property_matches(const std::string& where, const ojson& property, const ojson& value,
                             const ojson& common) {
  SCOPED_TRACE(where);
  const std::string defs = "common.schema.json#/$defs/";
  if (property.contains("$ref") && property["$ref"].get<std::string>().rfind(defs, 0) == 0) {
    auto ref = property["$ref"].get<std::string>();
    auto name = ref.substr(defs.size());
    ASSERT_TRUE(common["$defs"].contains(name)) << name;
    const auto& def = common["$defs"][name];
    if (name == "decimal") {
      ASSERT_TRUE(value.is_string());
      EXPECT_TRUE(fixed::parse(value.get<std::string>()));
    } else if (def["type"] == "integer") {
      EXPECT_TRUE(value.is_number_integer());
    } else {
      ASSERT_TRUE(value.is_string());
      auto names = strings_of(def["enum"]);
      EXPECT_NE(std::find(names.begin(), names.end(), value.get<std::string>()), names.end());
    }
  } else if (property.contains("$ref")) {
    // A nested object documented in its own file: the encoder's keys are its required list.
    ASSERT_TRUE(value.is_object());
    auto nested = read_json_file(property["$ref"].get<std::string>());
    EXPECT_EQ(keys_of(value), strings_of(nested["required"]));
    EXPECT_EQ(keys_of(nested["properties"]), strings_of(nested["required"]));
    for (auto it = value.begin(); it != value.end(); ++it)
      if (nested["properties"].contains(it.key()))
        expect_property_matches(where + "." + it.key(), nested["properties"][it.key()], it.value(), common);
  } else if (property["type"] == "string") {
    EXPECT_TRUE(value.is_string());
  } else if (property["type"] == "boolean") {
    EXPECT_TRUE(value.is_boolean());
  } else if (property["type"] == "array") {
    ASSERT_TRUE(value.is_array());
    ASSERT_FALSE(value.empty()) << "sample must fill every vector";
    const auto& items = property["items"];
    if (items.contains("$ref")) {
      auto nested = read_json_file(items["$ref"].get<std::string>());
      for (const auto& element : value)
        EXPECT_EQ(keys_of(element), strings_of(nested["required"]));
    } else {
      EXPECT_EQ(items["type"], "string");
      for (const auto& element : value)
        EXPECT_TRUE(element.is_string());
    }
  } else {
    ADD_FAILURE() << "undocumented property kind " << property.dump();
  }
}

TEST(json_schema_docs, match_the_encoder_for_every_type) {
  auto common = read_json_file("common.schema.json");
  for (const auto& sample : all_samples()) {
    std::string name(type_name(sample));
    SCOPED_TRACE(name);
    auto schema = read_json_file(name + ".schema.json");
    auto encoded = ojson::parse(std::visit([](const auto& x) { return to_json(x); }, sample));
    EXPECT_EQ(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    EXPECT_EQ(schema["$id"], "https://tradewind.example/schemas/json/" + name + ".schema.json");
    EXPECT_EQ(schema["title"], name);
    EXPECT_EQ(schema["type"], "object");
    EXPECT_EQ(schema["additionalProperties"], false);
    EXPECT_EQ(strings_of(schema["required"]), keys_of(encoded));
    EXPECT_EQ(keys_of(schema["properties"]), keys_of(encoded));
    for (auto it = encoded.begin(); it != encoded.end(); ++it)
      if (schema["properties"].contains(it.key()))
        expect_property_matches(name + "." + it.key(), schema["properties"][it.key()], it.value(),
                                common);
  }
}

TEST(json_schema_docs, list_every_enum_name) {
  auto defs = read_json_file("common.schema.json")["$defs"];
  EXPECT_EQ(strings_of(defs["side"]["enum"]), enum_names<side>());
  EXPECT_EQ(strings_of(defs["order_type"]["enum"]), enum_names<order_type>());
  EXPECT_EQ(strings_of(defs["order_status"]["enum"]), enum_names<order_status>());
  EXPECT_EQ(strings_of(defs["deny_reason"]["enum"]), enum_names<deny_reason>());
  EXPECT_EQ(strings_of(defs["trading_state"]["enum"]), enum_names<trading_state>());
  EXPECT_EQ(strings_of(defs["control_action"]["enum"]), enum_names<control_action>());
  EXPECT_EQ(strings_of(defs["scope_kind"]["enum"]), enum_names<scope_kind>());
  EXPECT_EQ(strings_of(defs["state_cause"]["enum"]), enum_names<state_cause>());
  EXPECT_EQ(strings_of(defs["severity"]["enum"]), enum_names<severity>());
}

TEST(json_schema_docs, envelope_lists_every_type_with_its_version) {
  auto envelope = read_json_file("envelope.schema.json");
  EXPECT_EQ(strings_of(envelope["required"]),
            (std::vector<std::string>{"type", "schema_version", "data"}));
  std::vector<std::string> names;
  for (const auto& sample : all_samples())
    names.emplace_back(type_name(sample));
  EXPECT_EQ(strings_of(envelope["properties"]["type"]["enum"]), names);
  ASSERT_EQ(envelope["allOf"].size(), names.size());
  auto samples = all_samples();
  for (size_t i = 0; i < names.size(); ++i) {
    const auto& rule = envelope["allOf"][i];
    EXPECT_EQ(rule["if"]["properties"]["type"]["const"], names[i]);
    auto version = std::visit([](const auto& x) { return std::decay_t<decltype(x)>::schema_version; },
                              samples[i]);
    EXPECT_EQ(rule["then"]["properties"]["schema_version"]["const"], version);
    EXPECT_EQ(rule["then"]["properties"]["data"]["$ref"], names[i] + ".schema.json");
  }
}

} // namespace
