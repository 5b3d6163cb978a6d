#include "schemas/indicators.hpp"

namespace tradewind {

void moving_average::add(fixed price) {
  prices_.push_back(price);
  sum_ += price.raw;
  if (static_cast<int>(prices_.size()) > window_) {
    sum_ -= prices_.front().raw;
    prices_.pop_front();
  }
}

fixed moving_average::value() const {
  if (prices_.empty())
    return fixed{};
  // A mean lies between the smallest and largest price, so it always fits.
  return *fixed::from_ratio(sum_, static_cast<__int128>(prices_.size()));
}

std::vector<std::optional<fixed>> simple_moving_average(const std::vector<fixed>& values, size_t window) {
  std::vector<std::optional<fixed>> out(values.size());
  if (window == 0)
    return out;
  moving_average ma{static_cast<int>(window)};
  for (size_t i = 0; i < values.size(); ++i) {
    ma.add(values[i]);
    if (ma.ready())
      out[i] = ma.value();
  }
  return out;
}

} // namespace tradewind
