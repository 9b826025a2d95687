#include "source/source_manager.hpp"

#include <functional>

#include <algorithm>
#include <cstring>

namespace deployc {

FileId SourceManager::add(std::string name, SourceText text) {
  files_.emplace_back(std::move(name), std::move(text));
  return FileId{static_cast<std::uint32_t>(files_.size() - 1)};
}

const std::vector<std::uint32_t>& SourceManager::line_starts(const File& file) const {
  std::call_once(file.lines_made, [&file] {
    const std::string_view t = file.text.view();
    file.line_starts.push_back(0);
    // memchr: it scans 32 bytes at a time, where counting first took more than the scan.
    const char* const begin = t.data();
    const char* const end = begin + t.size();
    for (const char* p = begin; p < end;) {
      const auto* nl =
          static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
      if (nl == nullptr) break;
      p = nl + 1;
      file.line_starts.push_back(static_cast<std::uint32_t>(p - begin));
    }
  });
  return file.line_starts;
}

bool SourceManager::holds(std::string_view part) const {
  // std::less: a total order on pointers, also between unrelated objects.
  const std::less<const char*> before;
  for (const File& file : files_) {
    const std::string_view text = file.text.view();
    const char* begin = text.data();
    const char* end = begin + text.size();
    if (!before(part.data(), begin) && !before(end, part.data() + part.size())) return true;
  }
  return false;
}

std::string_view SourceManager::text(Span span) const {
  std::string_view all = text(span.file);
  if (span.begin > all.size()) return {};
  return all.substr(span.begin, std::min<std::size_t>(span.end, all.size()) - span.begin);
}

LineCol SourceManager::line_col(FileId id, std::uint32_t offset) const {
  const auto& starts = line_starts(files_[id.index]);
  // The last line start that is <= offset.
  auto it = std::upper_bound(starts.begin(), starts.end(), offset);
  auto line = static_cast<std::uint32_t>(it - starts.begin());
  return {line, offset - starts[line - 1] + 1};
}

std::string_view SourceManager::line_text(FileId id, std::uint32_t line) const {
  const File& f = files_[id.index];
  const std::vector<std::uint32_t>& starts = line_starts(f);
  if (line == 0 || line > starts.size()) return {};
  const std::string_view text = f.text.view();
  std::uint32_t begin = starts[line - 1];
  std::uint32_t end = line < starts.size() ? starts[line] : static_cast<std::uint32_t>(text.size());
  std::string_view s = text.substr(begin, end - begin);
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace deployc
