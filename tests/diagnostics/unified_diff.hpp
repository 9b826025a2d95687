// A small line-based unified diff (LCS, 3 lines of context) for golden-file mismatches, so a
// failing snapshot shows what changed instead of two whole blobs. Inputs are small files: the
// quadratic table is fine.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

namespace deployc::testing {

namespace diff_detail {

/// Lines including their terminator, so a missing final newline shows up as a difference.
inline std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    end = end == std::string_view::npos ? text.size() : end + 1;
    lines.emplace_back(text.substr(start, end - start));
    start = end;
  }
  return lines;
}

struct Edit {
  char op;           // ' ', '-', '+'
  std::size_t a, b;  // line indexes in the old and new text (the one that applies)
};

}  // namespace diff_detail

inline std::string unified_diff(std::string_view old_text, std::string_view new_text,
                                std::string_view old_name, std::string_view new_name) {
  using diff_detail::Edit;
  const std::vector<std::string> a = diff_detail::lines_of(old_text);
  const std::vector<std::string> b = diff_detail::lines_of(new_text);
  const std::size_t n = a.size(), m = b.size();
  // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
  std::vector<std::vector<std::size_t>> lcs(n + 1, std::vector<std::size_t>(m + 1, 0));
  for (std::size_t i = n; i-- > 0;) {
    for (std::size_t j = m; j-- > 0;) {
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  std::vector<Edit> edits;
  std::size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] == b[j]) {
      edits.push_back({' ', i++, j++});
    } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
      edits.push_back({'+', i, j++});
    } else {
      edits.push_back({'-', i++, j});
    }
  }

  constexpr std::size_t kContext = 3;
  std::string out = fmt::format("--- {}\n+++ {}\n", old_name, new_name);
  std::size_t k = 0;
  while (k < edits.size()) {
    // Find the next change, then extend the hunk while changes are within 2*context.
    while (k < edits.size() && edits[k].op == ' ') ++k;
    if (k == edits.size()) break;
    std::size_t begin = k >= kContext ? k - kContext : 0;
    std::size_t end = k;
    std::size_t last_change = k;
    while (end < edits.size()) {
      if (edits[end].op != ' ') last_change = end;
      if (end - last_change > 2 * kContext) break;
      ++end;
    }
    end = std::min(edits.size(), last_change + kContext + 1);
    std::size_t old_count = 0, new_count = 0;
    for (std::size_t e = begin; e < end; ++e) {
      if (edits[e].op != '+') ++old_count;
      if (edits[e].op != '-') ++new_count;
    }
    std::size_t old_start = edits[begin].a + (old_count ? 1 : 0);
    std::size_t new_start = edits[begin].b + (new_count ? 1 : 0);
    out += fmt::format("@@ -{},{} +{},{} @@\n", old_start, old_count, new_start, new_count);
    for (std::size_t e = begin; e < end; ++e) {
      const std::string& line = edits[e].op == '+' ? b[edits[e].b] : a[edits[e].a];
      out += edits[e].op;
      out += line;
      if (line.empty() || line.back() != '\n') out += "\n\\ No newline at end of file\n";
    }
    k = end;
  }
  return out;
}

}  // namespace deployc::testing
