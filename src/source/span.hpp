// Source locations. Every node keeps byte offsets; line and column are computed only when a
// diagnostic is printed (SourceManager::line_col), so the parser never pays for them.
#pragma once

#include <cstdint>

namespace deployc {

/// Index of a file in the SourceManager that loaded it.
struct FileId {
  std::uint32_t index = 0;
  friend bool operator==(FileId, FileId) = default;
  friend auto operator<=>(FileId, FileId) = default;
};

/// Half-open byte range [begin, end) in one file.
struct Span {
  FileId file;
  std::uint32_t begin = 0;
  std::uint32_t end = 0;

  friend bool operator==(const Span&, const Span&) = default;
  /// The smallest span covering both (they must be in the same file).
  Span to(const Span& other) const {
    return {file, begin < other.begin ? begin : other.begin, end > other.end ? end : other.end};
  }
};

}  // namespace deployc
