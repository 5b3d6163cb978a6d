#pragma once
// A value an actor hands to its next incarnation (supervisor restarts): the child's start
// closure captures it, the live actor writes it, a restarted actor starts from it.

#include <memory>
#include <mutex>
#include <utility>

namespace tradewind {

/// Thread-safe holder; copies in and out so no reference outlives the lock.
template <class T>
class carry_over {
public:
  explicit carry_over(T initial) : value_(std::move(initial)) {}

  T get() const {
    std::lock_guard<std::mutex> guard{mtx_};
    return value_;
  }

  void set(T value) {
    std::lock_guard<std::mutex> guard{mtx_};
    value_ = std::move(value);
  }

private:
  mutable std::mutex mtx_;
  T value_;
};

/// Shorthand for the closures that create one.
template <class T>
std::shared_ptr<carry_over<T>> make_carry_over(T initial) {
  return std::make_shared<carry_over<T>>(std::move(initial));
}

} // namespace tradewind
