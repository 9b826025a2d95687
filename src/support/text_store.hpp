// An append-only store of texts, viewed by std::string_view.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <iterator>
#include <memory>
#include <string_view>
#include <vector>

namespace deployc::support {

/// Owns text that views elsewhere point into: the output documents' composed text
/// (lower::Outputs::text) and the model's texts that are not in the sources
/// (model::Deployment::text). Text is appended to large blocks that never move, so views stay
/// valid when the store (or what holds it) is moved, and thousands of strings cost a few
/// allocations instead of one each.
class TextStore {
 public:
  TextStore() = default;
  TextStore(TextStore&&) noexcept = default;
  TextStore& operator=(TextStore&&) noexcept = default;
  // A copy would own new blocks while the views still pointed into the old ones.
  TextStore(const TextStore&) = delete;
  TextStore& operator=(const TextStore&) = delete;
  ~TextStore() = default;

  /// A copy of `text` that lives as long as the store.
  std::string_view keep(std::string_view text) {
    if (text.empty()) return {};
    if (text.size() > free_) {
      // The rest of the current block stays unused: texts are small next to a block. A text
      // larger than a block gets a block of its own size.
      const std::size_t size = std::max(kBlockSize, text.size());
      blocks_.push_back(std::make_unique_for_overwrite<char[]>(size));
      next_ = blocks_.back().get();
      free_ = size;
    }
    char* const copy = next_;
    std::memcpy(copy, text.data(), text.size());
    next_ += text.size();
    free_ -= text.size();
    return {copy, text.size()};
  }

  /// Takes over what `other` kept: its texts stay where they are, owned here from now on.
  void adopt(TextStore&& other) {
    blocks_.insert(blocks_.end(), std::make_move_iterator(other.blocks_.begin()),
                   std::make_move_iterator(other.blocks_.end()));
    other.blocks_.clear();
    other.next_ = nullptr;
    other.free_ = 0;
  }

 private:
  static constexpr std::size_t kBlockSize = 64 * 1024;
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* next_ = nullptr;
  std::size_t free_ = 0;
};

}  // namespace deployc::support
