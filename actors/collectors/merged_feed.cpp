#include "actors/collectors/merged_feed.hpp"

#include "actors/collectors/csv_source.hpp"
#include "actors/collectors/synthetic_source.hpp"

namespace tradewind {

merged_feed::merged_feed(std::vector<std::unique_ptr<event_source>> sources)
    : sources_(std::move(sources)), heads_(sources_.size()), exhausted_(sources_.size(), false) {
}

void merged_feed::fill(size_t i) {
  if (heads_[i] || exhausted_[i])
    return;
  heads_[i] = sources_[i]->next();
  if (!heads_[i])
    exhausted_[i] = true;
}

std::optional<market_item> merged_feed::next() {
  while (!finished_) {
    std::optional<size_t> best;
    for (size_t i = 0; i < sources_.size(); ++i) {
      fill(i);
      // Strict '<' keeps the lowest source index among equal times.
      if (heads_[i] && (!best || event_time(*heads_[i]) < event_time(*heads_[*best])))
        best = i;
    }
    if (!best) {
      finished_ = true;
      return market_item{watermark{market_watermark_source, last_ts_.value_or(0), true}};
    }
    const int64_t t = event_time(*heads_[*best]);
    if (last_ts_ && t < *last_ts_) {
      ++out_of_order_dropped_;
      heads_[*best].reset();
      continue;
    }
    if (last_ts_ && t > *last_ts_ && watermark_pending_) {
      // Everything at last_ts_ is out; the head stays for the next call.
      watermark_pending_ = false;
      return market_item{watermark{market_watermark_source, *last_ts_, false}};
    }
    market_event e = std::move(*heads_[*best]);
    heads_[*best].reset();
    last_ts_ = t;
    watermark_pending_ = true;
    ++events_;
    return std::visit([](auto&& ev) { return market_item{std::move(ev)}; }, std::move(e));
  }
  return std::nullopt;
}

std::vector<row_error> merged_feed::drain_errors() {
  std::vector<row_error> out;
  for (auto& s : sources_)
    for (auto& e : s->drain_errors())
      out.push_back(std::move(e));
  return out;
}

uint64_t merged_feed::rows_skipped() const {
  uint64_t n = 0;
  for (auto& s : sources_)
    n += s->rows_skipped();
  return n;
}

merged_feed make_market_feed(const collector_config& cfg) {
  std::vector<std::unique_ptr<event_source>> sources;
  if (cfg.mode == "synthetic") {
    for (size_t i = 0; i < cfg.synthetic.symbols.size(); ++i)
      sources.push_back(std::make_unique<synthetic_source>(cfg.synthetic, i));
  } else {
    for (auto& feed : cfg.feeds)
      sources.push_back(csv_source::open(feed));
  }
  return merged_feed{std::move(sources)};
}

int64_t item_time(const market_item& item) {
  if (auto* w = std::get_if<watermark>(&item))
    return w->ts_ms;
  if (auto* b = std::get_if<bar>(&item))
    return b->open_time_ms;
  return std::get<trade_tick>(item).ts_ms;
}

std::string to_string(const market_item& item) {
  if (auto* b = std::get_if<bar>(&item))
    return "bar " + b->symbol + " t=" + std::to_string(b->open_time_ms) +
           " i=" + std::to_string(b->interval_ms) + " o=" + b->open.to_string() +
           " h=" + b->high.to_string() + " l=" + b->low.to_string() + " c=" + b->close.to_string() +
           " v=" + b->volume.to_string();
  if (auto* t = std::get_if<trade_tick>(&item))
    return "trade " + t->symbol + " t=" + std::to_string(t->ts_ms) +
           " id=" + std::to_string(t->trade_id) + " " +
           std::string{tradewind::to_string(t->aggressor)} + " p=" + t->price.to_string() +
           " q=" + t->qty.to_string();
  auto& w = std::get<watermark>(item);
  return "watermark " + w.source + " t=" + std::to_string(w.ts_ms) +
         (w.end_of_stream ? " eos" : "");
}

} // namespace tradewind
