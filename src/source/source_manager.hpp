// Owns the text of every file a compilation reads, so spans stay valid for the whole run.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "source/span.hpp"

namespace deployc {

struct LineCol {
  std::uint32_t line = 1;    ///< 1-based
  std::uint32_t column = 1;  ///< 1-based, in bytes (a tab or a multi-byte character counts as its bytes)
};

/// The bytes of one file: a string it owns, or memory that `owner` keeps alive (the command
/// line maps a large spec instead of copying it into fresh memory: see driver/files.cpp).
class SourceText {
 public:
  SourceText() = default;
  SourceText(std::string text) : owned_(std::move(text)) {}  // NOLINT: a string is a text
  SourceText(std::string_view bytes, std::shared_ptr<const void> owner)
      : owner_(std::move(owner)), mapped_(bytes) {}

  std::string_view view() const { return owner_ ? mapped_ : std::string_view(owned_); }

 private:
  std::string owned_;
  std::shared_ptr<const void> owner_;
  std::string_view mapped_;
};

class SourceManager {
 public:
  /// Registers a file. `name` is printed in diagnostics exactly as given.
  FileId add(std::string name, SourceText text);
  FileId add(std::string name, std::string text) {
    return add(std::move(name), SourceText(std::move(text)));
  }

  std::string_view name(FileId id) const { return files_[id.index].name; }
  std::string_view text(FileId id) const { return files_[id.index].text.view(); }
  std::string_view text(Span span) const;
  std::size_t file_count() const { return files_.size(); }
  /// Whether `part` lies inside the text of a registered file: then it lives as long as this
  /// SourceManager, which views of the source may rely on.
  bool holds(std::string_view part) const;

  /// Safe to call from several threads at once (the command line renders diagnostics on a
  /// thread of its own).
  LineCol line_col(FileId id, std::uint32_t offset) const;
  /// The text of 1-based line `line`, without its line terminator.
  std::string_view line_text(FileId id, std::uint32_t line) const;

 private:
  struct File {
    File(std::string file_name, SourceText file_text)
        : name(std::move(file_name)), text(std::move(file_text)) {}
    std::string name;
    SourceText text;
    // The offset of the first byte of every line, made when a line is first asked for: only
    // diagnostics need lines, and a clean compile of a large spec would scan it for nothing
    // (28 M instructions and 2.4 MB at N = 10000).
    mutable std::vector<std::uint32_t> line_starts;
    mutable std::once_flag lines_made;
  };
  const std::vector<std::uint32_t>& line_starts(const File& file) const;
  std::deque<File> files_;  // deque: references stay valid as files are added
};

}  // namespace deployc
