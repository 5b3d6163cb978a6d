#include "actors/core/run_summary.hpp"

#include <ctime>
#include <sstream>

namespace tradewind {

namespace {

void note_time(run_summary& s, int64_t ts) {
  if (s.first_ts_ms == 0 || ts < s.first_ts_ms)
    s.first_ts_ms = ts;
  if (ts > s.last_ts_ms)
    s.last_ts_ms = ts;
}

std::string utc(int64_t ts_ms) {
  std::time_t t = ts_ms / 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
  return buf;
}

} // namespace

void run_summary::on(const bar& b) {
  ++ticks;
  note_time(*this, b.open_time_ms);
}

void run_summary::on(const trade_tick& t) {
  ++ticks;
  note_time(*this, t.ts_ms);
}

void run_summary::on(const risk_decision& d) {
  ++intents;
  if (!d.approved)
    ++denials_by_reason[std::string{to_string(d.reason)}];
}

void run_summary::on(const fill& f) {
  ++fills;
  fill_notional = fill_notional + f.price * f.qty;
  fees = fees + f.fee;
}

void run_summary::on(const account_snapshot& s) {
  if (initial_equity.is_zero())
    initial_equity = s.equity;
  final_equity = s.equity;
  if (s.drawdown_pct > max_drawdown_pct)
    max_drawdown_pct = s.drawdown_pct;
}

std::map<std::string, uint64_t> run_summary::orders_by_status() const {
  std::map<std::string, uint64_t> out;
  for (auto& [id, status] : order_status)
    ++out[status];
  return out;
}

fixed_result run_summary::return_pct() const {
  if (initial_equity.is_zero())
    return fixed{};
  return (final_equity - initial_equity) / initial_equity * fixed::from_int<100>();
}

std::string format_summary(const run_summary& s, const std::string& store_location) {
  auto two = [](fixed_result v) {
    return v ? fixed::from_raw(v.value().raw / 1'000'000 * 1'000'000).to_string()
             : std::string{v.error_text()};
  };
  std::ostringstream out;
  out << "── Tradewind run summary " << (s.complete ? "(complete)" : "(interrupted)") << " ──\n";
  if (s.ticks > 0)
    out << "period         " << utc(s.first_ts_ms) << " → " << utc(s.last_ts_ms) << " UTC\n";
  out << "ticks          " << s.ticks << "\n";
  out << "signals        " << s.signals << "\n";
  out << "risk decisions " << s.intents << " (denied " << [&] {
    uint64_t n = 0;
    for (auto& [r, c] : s.denials_by_reason)
      n += c;
    return n;
  }() << ")\n";
  for (auto& [reason, n] : s.denials_by_reason)
    out << "  denied " << reason << ": " << n << "\n";
  out << "orders         " << s.order_status.size() << "\n";
  for (auto& [status, n] : s.orders_by_status())
    out << "  " << status << ": " << n << "\n";
  out << "fills          " << s.fills << " (notional " << two(s.fill_notional) << ", fees "
      << two(s.fees) << ")\n";
  out << "equity         " << two(s.initial_equity) << " → " << two(s.final_equity) << "\n";
  out << "return         " << two(s.return_pct()) << " %\n";
  out << "max drawdown   " << two(s.max_drawdown_pct) << " %\n";
  out << "alerts         " << s.alerts << "\n";
  out << "store          " << store_location << "\n";
  return out.str();
}

} // namespace tradewind
