#include "driver/diff.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace deployc::driver {

namespace {

constexpr std::size_t kContext = 3;
// Beyond this many saved search states, the middle is shown as replaced wholesale: still a
// correct diff, only not the shortest one.
constexpr std::size_t kMaxTraceCells = std::size_t{1} << 24;

/// Lines with their line end, so a missing final line end is a difference too.
std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    const std::size_t n = nl == std::string_view::npos ? text.size() : nl + 1;
    lines.push_back(text.substr(0, n));
    text.remove_prefix(n);
  }
  return lines;
}

enum class Kind : std::uint8_t { Keep, Remove, Add };
struct Edit {
  Kind kind;
  std::size_t before;  // index into `before` (for Add: lines of `before` consumed so far)
  std::size_t after;   // likewise for `after`
};

using Lines = std::vector<std::string_view>;

/// Myers' greedy algorithm over a[a0, a1) and b[b0, b1), appending edits in order. Returns false
/// when the search would need more memory than allowed.
bool myers(const Lines& a, std::size_t a0, std::size_t a1, const Lines& b, std::size_t b0,
           std::size_t b1, std::vector<Edit>& out) {
  const auto n = static_cast<std::ptrdiff_t>(a1 - a0);
  const auto m = static_cast<std::ptrdiff_t>(b1 - b0);
  const std::ptrdiff_t max = n + m;
  const auto width = static_cast<std::size_t>(2 * max + 2);
  std::vector<std::ptrdiff_t> v(width, 0);
  std::vector<std::vector<std::ptrdiff_t>> trace;
  auto at = [&](std::vector<std::ptrdiff_t>& vec, std::ptrdiff_t k) -> std::ptrdiff_t& {
    return vec[static_cast<std::size_t>(k + max + 1)];
  };
  std::ptrdiff_t found = -1;
  for (std::ptrdiff_t d = 0; d <= max && found < 0; ++d) {
    if ((trace.size() + 1) * width > kMaxTraceCells) return false;
    trace.push_back(v);
    for (std::ptrdiff_t k = -d; k <= d; k += 2) {
      std::ptrdiff_t x =
          (k == -d || (k != d && at(v, k - 1) < at(v, k + 1))) ? at(v, k + 1) : at(v, k - 1) + 1;
      std::ptrdiff_t y = x - k;
      while (x < n && y < m && a[a0 + x] == b[b0 + y]) {
        ++x;
        ++y;
      }
      at(v, k) = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
  }
  // Walk back from the end through the saved states.
  std::vector<Edit> reversed;
  std::ptrdiff_t x = n, y = m;
  for (std::ptrdiff_t d = found; d >= 0; --d) {
    std::vector<std::ptrdiff_t>& state = trace[static_cast<std::size_t>(d)];
    const std::ptrdiff_t k = x - y;
    std::ptrdiff_t prev_k = 0;
    if (d > 0) {
      prev_k = (k == -d || (k != d && at(state, k - 1) < at(state, k + 1))) ? k + 1 : k - 1;
    }
    const std::ptrdiff_t prev_x = d > 0 ? at(state, prev_k) : 0;
    const std::ptrdiff_t prev_y = d > 0 ? prev_x - prev_k : 0;
    while (x > prev_x && y > prev_y) {
      --x;
      --y;
      reversed.push_back(
          {Kind::Keep, a0 + static_cast<std::size_t>(x), b0 + static_cast<std::size_t>(y)});
    }
    if (d > 0) {
      if (x == prev_x) {
        reversed.push_back(
            {Kind::Add, a0 + static_cast<std::size_t>(x), b0 + static_cast<std::size_t>(prev_y)});
      } else {
        reversed.push_back({Kind::Remove, a0 + static_cast<std::size_t>(prev_x),
                            b0 + static_cast<std::size_t>(y)});
      }
    }
    x = prev_x;
    y = prev_y;
  }
  out.insert(out.end(), reversed.rbegin(), reversed.rend());
  return true;
}

std::vector<Edit> edit_script(const Lines& a, const Lines& b) {
  // Common head and tail first: typical drift is a few lines in a long file.
  std::size_t head = 0;
  while (head < a.size() && head < b.size() && a[head] == b[head]) ++head;
  std::size_t tail = 0;
  while (tail < a.size() - head && tail < b.size() - head &&
         a[a.size() - 1 - tail] == b[b.size() - 1 - tail]) {
    ++tail;
  }
  std::vector<Edit> edits;
  for (std::size_t i = 0; i < head; ++i) edits.push_back({Kind::Keep, i, i});
  const std::size_t a1 = a.size() - tail, b1 = b.size() - tail;
  if (!myers(a, head, a1, b, head, b1, edits)) {
    for (std::size_t i = head; i < a1; ++i) edits.push_back({Kind::Remove, i, head});
    for (std::size_t j = head; j < b1; ++j) edits.push_back({Kind::Add, a1, j});
  }
  for (std::size_t i = 0; i < tail; ++i) edits.push_back({Kind::Keep, a1 + i, b1 + i});
  return edits;
}

std::string range(std::size_t first, std::size_t count) {
  // GNU diff: an empty range names the line before it; a one-line range omits its count.
  if (count == 0) return fmt::format("{},0", first);
  if (count == 1) return fmt::format("{}", first + 1);
  return fmt::format("{},{}", first + 1, count);
}

void append_line(std::string& out, char sign, std::string_view line) {
  out.push_back(sign);
  out.append(line);
  if (line.empty() || line.back() != '\n') out += "\n\\ No newline at end of file\n";
}

}  // namespace

std::string unified_diff(std::string_view before, std::string_view after,
                         std::string_view before_label, std::string_view after_label) {
  if (before == after) return {};
  const Lines a = split_lines(before);
  const Lines b = split_lines(after);
  const std::vector<Edit> edits = edit_script(a, b);

  std::string out = fmt::format("--- {}\n+++ {}\n", before_label, after_label);
  std::size_t i = 0;
  while (i < edits.size()) {
    // Next change, then extend the hunk while the following change is close enough.
    while (i < edits.size() && edits[i].kind == Kind::Keep) ++i;
    if (i == edits.size()) break;
    const std::size_t start = i >= kContext ? i - kContext : 0;
    std::size_t end = i;  // one past the last change included
    std::size_t j = i;
    while (j < edits.size()) {
      if (edits[j].kind != Kind::Keep) {
        end = j + 1;
        ++j;
        continue;
      }
      std::size_t run = j;
      while (run < edits.size() && edits[run].kind == Kind::Keep) ++run;
      if (run == edits.size() || run - j > 2 * kContext) break;
      j = run;
    }
    const std::size_t stop = std::min(edits.size(), end + kContext);
    std::size_t old_count = 0, new_count = 0;
    for (std::size_t e = start; e < stop; ++e) {
      if (edits[e].kind != Kind::Add) ++old_count;
      if (edits[e].kind != Kind::Remove) ++new_count;
    }
    out += fmt::format("@@ -{} +{} @@\n", range(edits[start].before, old_count),
                       range(edits[start].after, new_count));
    for (std::size_t e = start; e < stop; ++e) {
      switch (edits[e].kind) {
        case Kind::Keep:
          append_line(out, ' ', a[edits[e].before]);
          break;
        case Kind::Remove:
          append_line(out, '-', a[edits[e].before]);
          break;
        case Kind::Add:
          append_line(out, '+', b[edits[e].after]);
          break;
      }
    }
    i = stop;
  }
  return out;
}

}  // namespace deployc::driver
