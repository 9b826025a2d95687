// A value most of its holders never set, kept behind a pointer that stays null until the first
// write.
#pragma once

#include <memory>

namespace deployc::support {

/// Holds a T allocated on its first write (edit()); until then it reads as a default T. For the
/// parts of a large model that most of its items leave empty: a null pointer costs 8 bytes
/// where the empty T inline cost its whole size in every item. Reads never allocate, so a
/// reader may hold the box by const reference or not. Copies copy the T, as a member would.
template <typename T>
class LazyBox {
 public:
  LazyBox() = default;
  LazyBox(const LazyBox& other)
      : value_(other.value_ ? std::make_unique<T>(*other.value_) : nullptr) {}
  LazyBox(LazyBox&&) noexcept = default;
  LazyBox& operator=(const LazyBox& other) {
    if (this != &other) value_ = other.value_ ? std::make_unique<T>(*other.value_) : nullptr;
    return *this;
  }
  LazyBox& operator=(LazyBox&&) noexcept = default;
  ~LazyBox() = default;

  const T& operator*() const { return value_ ? *value_ : empty(); }
  const T* operator->() const { return &**this; }

  /// The value, to write: allocated (as a default T) on the first call.
  T& edit() {
    if (!value_) value_ = std::make_unique<T>();
    return *value_;
  }

  /// Whether anything was ever written; a box edited back to a default T still counts.
  bool allocated() const { return value_ != nullptr; }

 private:
  static const T& empty() {
    static const T kEmpty{};
    return kEmpty;
  }

  std::unique_ptr<T> value_;
};

}  // namespace deployc::support
