#include "schemas/indicators.hpp"

namespace tradewind {

void moving_average::add(fixed price) {
  prices_.push_back(price);
  sum_ += price;
  if (static_cast<int>(prices_.size()) > window_) {
    sum_ -= prices_.front();
    prices_.pop_front();
  }
}

fixed moving_average::value() const {
  return sum_ / fixed::from_int(static_cast<int64_t>(prices_.size()));
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
