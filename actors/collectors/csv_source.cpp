#include "actors/collectors/csv_source.hpp"

#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace tradewind {

namespace {

constexpr std::array<const char*, 6> candle_columns{"open_time_ms", "open",  "high",
                                                    "low",          "close", "volume"};
constexpr std::array<const char*, 5> trade_columns{"timestamp_ms", "trade_id", "side", "price",
                                                   "amount"};

std::string_view trim(std::string_view s) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && blank(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && blank(s.back()))
    s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t comma = line.find(',', start);
    out.push_back(
        trim(line.substr(start, comma == std::string_view::npos ? comma : comma - start)));
    if (comma == std::string_view::npos)
      return out;
    start = comma + 1;
  }
}

std::optional<int64_t> parse_int(std::string_view s) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc{} || end != s.data() + s.size())
    return std::nullopt;
  return v;
}

std::string quote_text(std::string_view s) {
  std::string out = "\"";
  out += s;
  out += '"';
  return out;
}

std::string column_error(const char* column, std::string_view value, const char* what) {
  return std::string{"column '"} + column + "': " + quote_text(value) + " " + what;
}

/// Parses the integer column `i`; on failure stores the reason in `err`.
std::optional<int64_t> int_column(const std::vector<std::string_view>& f, size_t i,
                                  const char* name, std::string& err) {
  auto v = parse_int(f[i]);
  if (!v)
    err = column_error(name, f[i], "is not an integer");
  return v;
}

/// Rewrites scientific notation ("9.417e-05", found in real recordings) as plain decimal
/// text ("0.00009417") by moving the point, so that fixed::parse stays exact.
std::optional<std::string> expand_exponent(std::string_view s) {
  auto e = s.find_first_of("eE");
  if (e == std::string_view::npos)
    return std::nullopt;
  std::string_view mantissa = s.substr(0, e);
  std::string_view exp_text = s.substr(e + 1);
  if (!exp_text.empty() && exp_text.front() == '+')
    exp_text.remove_prefix(1);
  auto exponent = parse_int(exp_text);
  if (!exponent || *exponent < -40 || *exponent > 40) // beyond fixed's range either way
    return std::nullopt;
  std::string sign;
  if (!mantissa.empty() && (mantissa.front() == '-' || mantissa.front() == '+')) {
    sign = mantissa.front() == '-' ? "-" : "";
    mantissa.remove_prefix(1);
  }
  std::string digits;
  int64_t int_digits = -1;
  for (char c : mantissa) {
    if (c == '.' && int_digits < 0)
      int_digits = static_cast<int64_t>(digits.size());
    else if (c >= '0' && c <= '9')
      digits += c;
    else
      return std::nullopt;
  }
  if (digits.empty())
    return std::nullopt;
  if (int_digits < 0)
    int_digits = static_cast<int64_t>(digits.size());
  const int64_t point = int_digits + *exponent;
  const auto n = static_cast<int64_t>(digits.size());
  if (point <= 0)
    return sign + "0." + std::string(static_cast<size_t>(-point), '0') + digits;
  if (point >= n)
    return sign + digits + std::string(static_cast<size_t>(point - n), '0');
  return sign + digits.substr(0, static_cast<size_t>(point)) + "." +
         digits.substr(static_cast<size_t>(point));
}

/// Exact decimal: plain text, or scientific notation that is exact in 8 fractional digits.
std::optional<fixed> parse_decimal(std::string_view s) {
  if (auto v = fixed::parse(s))
    return v;
  if (auto plain = expand_exponent(s))
    return fixed::parse(*plain);
  return std::nullopt;
}

/// Parses the decimal column `i`; on failure stores the reason in `err`.
std::optional<fixed> decimal_column(const std::vector<std::string_view>& f, size_t i,
                                    const char* name, std::string& err) {
  auto v = parse_decimal(f[i]);
  if (!v)
    err = column_error(name, f[i], "is not a decimal");
  return v;
}

std::string column_count_error(size_t expected, size_t found) {
  return "expected " + std::to_string(expected) + " columns, found " + std::to_string(found);
}

/// "open 99 outside [low 100, high 101]" when `v` is not within [low, high].
std::optional<std::string> outside_range(const char* name, fixed v, fixed low, fixed high) {
  if (v >= low && v <= high)
    return std::nullopt;
  return std::string{name} + " " + v.to_string() + " outside [low " + low.to_string() + ", high " +
         high.to_string() + "]";
}

std::optional<side> parse_side(std::string_view s) {
  std::string lower{s};
  for (auto& c : lower)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "buy")
    return side::buy;
  if (lower == "sell")
    return side::sell;
  return std::nullopt;
}

} // namespace

row_result parse_candle_row(std::string_view line, const std::string& symbol) {
  auto f = split_fields(line);
  if (f.size() != candle_columns.size())
    return column_count_error(candle_columns.size(), f.size());
  std::string err;
  auto ts = int_column(f, 0, candle_columns[0], err);
  if (!ts)
    return err;
  std::array<fixed, 5> v; // open, high, low, close, volume
  for (size_t i = 1; i < candle_columns.size(); ++i) {
    auto d = decimal_column(f, i, candle_columns[i], err);
    if (!d)
      return err;
    v[i - 1] = *d;
  }
  for (size_t i = 0; i < 4; ++i)
    if (v[i].raw <= 0)
      return column_error(candle_columns[i + 1], f[i + 1], "is not positive");
  bar b;
  b.symbol = symbol;
  b.open_time_ms = *ts;
  b.open = v[0];
  b.high = v[1];
  b.low = v[2];
  b.close = v[3];
  b.volume = v[4];
  if (b.high < b.low)
    return "high " + b.high.to_string() + " < low " + b.low.to_string();
  if (auto e = outside_range("open", b.open, b.low, b.high))
    return *e;
  if (auto e = outside_range("close", b.close, b.low, b.high))
    return *e;
  if (b.volume.raw < 0)
    return column_error(candle_columns[5], f[5], "is negative");
  return market_event{std::move(b)};
}

row_result parse_trade_row(std::string_view line, const std::string& symbol) {
  auto f = split_fields(line);
  if (f.size() != trade_columns.size())
    return column_count_error(trade_columns.size(), f.size());
  std::string err;
  auto ts = int_column(f, 0, trade_columns[0], err);
  if (!ts)
    return err;
  auto id = int_column(f, 1, trade_columns[1], err);
  if (!id)
    return err;
  auto s = parse_side(f[2]);
  if (!s)
    return column_error(trade_columns[2], f[2], "is not buy or sell");
  auto price = decimal_column(f, 3, trade_columns[3], err);
  if (!price)
    return err;
  auto qty = decimal_column(f, 4, trade_columns[4], err);
  if (!qty)
    return err;
  if (price->raw <= 0)
    return column_error(trade_columns[3], f[3], "is not positive");
  if (qty->raw <= 0)
    return column_error(trade_columns[4], f[4], "is not positive");
  trade_tick t;
  t.symbol = symbol;
  t.ts_ms = *ts;
  t.trade_id = *id;
  t.aggressor = *s;
  t.price = *price;
  t.qty = *qty;
  return market_event{std::move(t)};
}

bool is_header_line(std::string_view line) {
  for (auto field : split_fields(line))
    if (parse_decimal(field))
      return false;
  return true;
}

csv_source::csv_source(std::unique_ptr<std::istream> in, std::string display_name,
                       std::string symbol, feed_format format)
    : in_(std::move(in)), file_(std::move(display_name)), symbol_(std::move(symbol)),
      format_(format) {
  // Candles need the interval before the first bar goes out; trades have none.
  interval_known_ = format_ != feed_format::candles;
}

std::unique_ptr<csv_source> csv_source::open(const feed_config& feed) {
  auto name = std::filesystem::path{feed.path}.filename().string();
  auto file = std::make_unique<std::ifstream>(feed.path, std::ios::binary);
  bool ok = file->is_open();
  int err = errno;
  auto src = std::make_unique<csv_source>(std::move(file), name, feed.symbol, feed.format);
  if (!ok)
    src->report(0, std::string{"cannot open "} + quote_text(feed.path) + ": " + std::strerror(err));
  return src;
}

std::unique_ptr<csv_source> csv_source::from_string(std::string text, std::string display_name,
                                                    std::string symbol, feed_format format) {
  return std::make_unique<csv_source>(std::make_unique<std::istringstream>(std::move(text)),
                                      std::move(display_name), std::move(symbol), format);
}

std::optional<market_event> csv_source::next() {
  if (!interval_known_) {
    // Read up to two valid bars so the first one already carries the interval.
    while (lookahead_.size() < 2) {
      auto e = read_valid_row();
      if (!e)
        break;
      lookahead_.push_back(std::move(*e));
    }
    if (lookahead_.size() == 2)
      interval_ms_ = event_time(lookahead_[1]) - event_time(lookahead_[0]);
    interval_known_ = true;
  }
  std::optional<market_event> out;
  if (!lookahead_.empty()) {
    out = std::move(lookahead_.front());
    lookahead_.pop_front();
  } else {
    out = read_valid_row();
  }
  if (out)
    if (auto* b = std::get_if<bar>(&*out))
      b->interval_ms = interval_ms_;
  return out;
}

std::vector<row_error> csv_source::drain_errors() {
  std::vector<row_error> out;
  out.swap(pending_errors_);
  return out;
}

std::optional<market_event> csv_source::read_valid_row() {
  std::string line;
  while (in_ && std::getline(*in_, line)) {
    ++line_no_;
    std::string_view text = line;
    if (line_no_ == 1 && text.substr(0, 3) == "\xEF\xBB\xBF") // UTF-8 byte-order mark
      text.remove_prefix(3);
    text = trim(text);
    if (text.empty())
      continue;
    if (!seen_first_line_) {
      seen_first_line_ = true;
      if (is_header_line(text))
        continue;
    }
    auto parsed = format_ == feed_format::candles ? parse_candle_row(text, symbol_)
                                                  : parse_trade_row(text, symbol_);
    if (auto* reason = std::get_if<std::string>(&parsed)) {
      report(line_no_, std::move(*reason));
      ++rows_skipped_;
      continue;
    }
    auto& event = std::get<market_event>(parsed);
    if (auto reason = check_order(event_time(event))) {
      report(line_no_, std::move(*reason));
      ++rows_skipped_;
      continue;
    }
    last_ts_ = event_time(event);
    return std::move(event);
  }
  return std::nullopt;
}

std::optional<std::string> csv_source::check_order(int64_t ts) const {
  if (!last_ts_)
    return std::nullopt;
  auto prev = std::to_string(*last_ts_);
  if (format_ == feed_format::candles && ts <= *last_ts_)
    return "open_time_ms " + std::to_string(ts) + " is not after the previous valid row's " + prev;
  if (format_ == feed_format::trades && ts < *last_ts_)
    return "timestamp_ms " + std::to_string(ts) + " is before the previous valid row's " + prev;
  return std::nullopt;
}

void csv_source::report(int64_t line, std::string reason) {
  if (pending_errors_.size() < max_pending_errors)
    pending_errors_.push_back(row_error{file_, line, std::move(reason)});
}

} // namespace tradewind
