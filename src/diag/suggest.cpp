#include "diag/suggest.hpp"

#include <algorithm>
#include <tuple>

namespace deployc::diag {

namespace {

constexpr std::size_t kMaxDistance = 2;

char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return ascii_lower(x) == ascii_lower(y);
         });
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Three rolling rows: the swap rule looks two rows back.
  const std::size_t m = b.size();
  std::vector<std::size_t> before(m + 1), previous(m + 1), current(m + 1);
  for (std::size_t j = 0; j <= m; ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        current[j] = std::min(current[j], before[j - 2] + 1);
      }
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[m];
}

std::optional<std::string> closest(std::string_view name,
                                   const std::vector<std::string>& candidates) {
  const std::string* best = nullptr;
  // (distance, 0 for a case-insensitive match else 1); the candidate text breaks ties.
  std::tuple<std::size_t, int> best_key{};
  for (const std::string& candidate : candidates) {
    if (candidate == name) continue;
    std::tuple<std::size_t, int> key;
    if (equal_ignoring_case(candidate, name)) {
      key = {0, 0};
    } else {
      // Cheap rejection before the quadratic distance.
      const std::size_t length_gap = candidate.size() > name.size()
                                         ? candidate.size() - name.size()
                                         : name.size() - candidate.size();
      if (length_gap > kMaxDistance) continue;
      const std::size_t d = edit_distance(name, candidate);
      if (d > kMaxDistance || d >= name.size()) continue;
      key = {d, 1};
    }
    if (!best || key < best_key || (key == best_key && candidate < *best)) {
      best = &candidate;
      best_key = key;
    }
  }
  if (!best) return std::nullopt;
  return *best;
}

}  // namespace deployc::diag
