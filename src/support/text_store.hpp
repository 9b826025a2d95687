// Append-only stores of texts and of other small items, viewed by std::string_view or std::span.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <iterator>
#include <memory>
#include <new>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

namespace deployc::support {

/// Owns items that views elsewhere point into. Items are appended to large blocks that never
/// move, so views stay valid when the store (or what holds it) is moved, and thousands of short
/// runs of items cost a few allocations instead of one each. Nothing is destroyed item by item:
/// the items are trivially copyable.
template <typename T>
class BlockStore {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);
  static_assert(alignof(T) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__);

 public:
  BlockStore() = default;
  BlockStore(BlockStore&&) noexcept = default;
  BlockStore& operator=(BlockStore&&) noexcept = default;
  // A copy would own new blocks while the views still pointed into the old ones.
  BlockStore(const BlockStore&) = delete;
  BlockStore& operator=(const BlockStore&) = delete;
  ~BlockStore() = default;

  /// A copy of `items` that lives as long as the store.
  std::span<const T> keep(std::span<const T> items) {
    if (items.empty()) return {};
    T* const copy = room(items.size());
    std::memcpy(copy, items.data(), items.size() * sizeof(T));
    return {copy, items.size()};
  }

  /// `count` value-initialised items that live as long as the store, for the caller to fill.
  std::span<T> make(std::size_t count) {
    if (count == 0) return {};
    T* const items = room(count);
    std::uninitialized_value_construct_n(items, count);
    return {items, count};
  }

  /// Takes over what `other` kept: its items stay where they are, owned here from now on.
  void adopt(BlockStore&& other) {
    blocks_.insert(blocks_.end(), std::make_move_iterator(other.blocks_.begin()),
                   std::make_move_iterator(other.blocks_.end()));
    other.blocks_.clear();
    other.next_ = nullptr;
    other.free_ = 0;
  }

 private:
  static constexpr std::size_t kBlockSize = 64 * 1024 / sizeof(T);  // items: 64 KiB a block

  /// Where the next `count` items go.
  T* room(std::size_t count) {
    if (count > free_) {
      // The rest of the current block stays unused: runs are small next to a block. A run
      // larger than a block gets a block of its own size.
      const std::size_t size = std::max(kBlockSize, count);
      blocks_.push_back(std::make_unique_for_overwrite<std::byte[]>(size * sizeof(T)));
      next_ = reinterpret_cast<T*>(blocks_.back().get());
      free_ = size;
    }
    T* const at = next_;
    next_ += count;
    free_ -= count;
    return at;
  }

  std::vector<std::unique_ptr<std::byte[]>> blocks_;
  T* next_ = nullptr;
  std::size_t free_ = 0;  ///< items
};

/// Owns text that views elsewhere point into: the output documents' composed text
/// (lower::Outputs::text) and the model's texts that are not in the sources
/// (model::Deployment::text).
class TextStore {
 public:
  /// A copy of `text` that lives as long as the store.
  std::string_view keep(std::string_view text) {
    const std::span<const char> copy = chars_.keep(text);
    return {copy.data(), copy.size()};
  }

  /// Takes over what `other` kept: its texts stay where they are, owned here from now on.
  void adopt(TextStore&& other) { chars_.adopt(std::move(other.chars_)); }

 private:
  BlockStore<char> chars_;
};

}  // namespace deployc::support
