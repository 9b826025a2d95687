// The unified diff `deployc check` prints: exact hunks on small cases, and on random edits the
// diff applied back to the old text must give the new one.
#include <catch2/catch.hpp>

#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "driver/diff.hpp"

using deployc::driver::unified_diff;

namespace {

std::string numbered(int from, int to) {
  std::string out;
  for (int i = from; i <= to; ++i) out += "l" + std::to_string(i) + "\n";
  return out;
}

/// Applies a unified diff produced by unified_diff (hunks in order, exact context).
std::string apply(const std::string& before, const std::string& diff) {
  std::vector<std::string> old_lines;
  for (std::size_t i = 0; i < before.size();) {
    const std::size_t nl = before.find('\n', i);
    const std::size_t end = nl == std::string::npos ? before.size() : nl + 1;
    old_lines.push_back(before.substr(i, end - i));
    i = end;
  }
  std::vector<std::string> diff_lines;
  std::istringstream in(diff);
  for (std::string l; std::getline(in, l);) diff_lines.push_back(l);
  REQUIRE(diff_lines.size() >= 2);
  std::string out;
  std::size_t next_old = 0;  // index of the next old line not yet accounted for
  const std::string marker = "\\ No newline at end of file";
  for (std::size_t i = 2; i < diff_lines.size(); ++i) {
    const std::string& l = diff_lines[i];
    if (l.rfind("@@ -", 0) == 0) {
      const std::size_t start = std::stoul(l.substr(4));
      const std::size_t comma = l.find(',');
      const std::size_t space = l.find(' ', 4);
      const bool empty = comma != std::string::npos && comma < space && l[comma + 1] == '0';
      const std::size_t first = empty ? start : start - 1;
      REQUIRE(first >= next_old);
      for (; next_old < first; ++next_old) out += old_lines[next_old];
      continue;
    }
    if (l == marker) continue;  // consumed with the line before it
    REQUIRE_FALSE(l.empty());
    const char sign = l[0];
    const bool no_newline = i + 1 < diff_lines.size() && diff_lines[i + 1] == marker;
    const std::string text = l.substr(1) + (no_newline ? "" : "\n");
    if (sign == ' ' || sign == '-') {
      REQUIRE(next_old < old_lines.size());
      REQUIRE(old_lines[next_old] == text);
      ++next_old;
    }
    if (sign == ' ' || sign == '+') out += text;
  }
  for (; next_old < old_lines.size(); ++next_old) out += old_lines[next_old];
  return out;
}

}  // namespace

TEST_CASE("equal texts give an empty diff") {
  CHECK(unified_diff("", "", "a", "b").empty());
  CHECK(unified_diff("x\ny\n", "x\ny\n", "a", "b").empty());
}

TEST_CASE("one changed line in the middle: three lines of context each side") {
  const std::string before = numbered(1, 20);
  std::string after = before;
  after.replace(after.find("l10\n"), 4, "L10\n");
  CHECK(unified_diff(before, after, "out/x", "out/x") ==
        "--- out/x\n"
        "+++ out/x\n"
        "@@ -7,7 +7,7 @@\n"
        " l7\n l8\n l9\n"
        "-l10\n"
        "+L10\n"
        " l11\n l12\n l13\n");
}

TEST_CASE("close changes share a hunk, distant ones do not") {
  const std::string before = numbered(1, 30);
  std::string close = before;
  close.replace(close.find("l5\n"), 3, "");
  close.replace(close.find("l11\n"), 4, "");
  CHECK(unified_diff(before, close, "a", "b") ==
        "--- a\n+++ b\n"
        "@@ -2,13 +2,11 @@\n"
        " l2\n l3\n l4\n-l5\n l6\n l7\n l8\n l9\n l10\n-l11\n l12\n l13\n l14\n");
  std::string distant = before;
  distant.replace(distant.find("l5\n"), 3, "");
  distant.replace(distant.find("l20\n"), 4, "");
  CHECK(unified_diff(before, distant, "a", "b") ==
        "--- a\n+++ b\n"
        "@@ -2,7 +2,6 @@\n l2\n l3\n l4\n-l5\n l6\n l7\n l8\n"
        "@@ -17,7 +16,6 @@\n l17\n l18\n l19\n-l20\n l21\n l22\n l23\n");
}

TEST_CASE("edges: empty sides, one-line ranges, missing final newline") {
  CHECK(unified_diff("", "a\nb\n", "x", "x") == "--- x\n+++ x\n@@ -0,0 +1,2 @@\n+a\n+b\n");
  CHECK(unified_diff("a\n", "", "x", "x") == "--- x\n+++ x\n@@ -1 +0,0 @@\n-a\n");
  CHECK(unified_diff("a\nb\n", "a\nb", "x", "x") ==
        "--- x\n+++ x\n@@ -1,2 +1,2 @@\n a\n-b\n+b\n\\ No newline at end of file\n");
}

TEST_CASE("random edits: the diff applied to the old text gives the new text") {
  std::mt19937 rng(12345);
  for (int round = 0; round < 300; ++round) {
    std::vector<std::string> lines;
    const int n = static_cast<int>(rng() % 40);
    for (int i = 0; i < n; ++i) lines.push_back("v" + std::to_string(rng() % 6));
    std::vector<std::string> changed = lines;
    const int edits = static_cast<int>(rng() % 6);
    for (int e = 0; e < edits; ++e) {
      const auto at = changed.empty() ? 0 : rng() % (changed.size() + 1);
      switch (rng() % 3) {
        case 0:
          changed.insert(changed.begin() + static_cast<long>(at), "new" + std::to_string(e));
          break;
        case 1:
          if (at < changed.size()) changed.erase(changed.begin() + static_cast<long>(at));
          break;
        default:
          if (at < changed.size()) changed[at] = "chg" + std::to_string(e);
      }
    }
    auto join = [&](const std::vector<std::string>& ls, bool final_newline) {
      std::string s;
      for (std::size_t i = 0; i < ls.size(); ++i) {
        s += ls[i];
        if (i + 1 < ls.size() || final_newline) s += "\n";
      }
      return s;
    };
    const std::string before = join(lines, rng() % 4 != 0);
    const std::string after = join(changed, rng() % 4 != 0);
    const std::string diff = unified_diff(before, after, "a", "b");
    INFO("before:\n" << before << "\nafter:\n" << after << "\ndiff:\n" << diff);
    if (before == after) {
      CHECK(diff.empty());
    } else {
      CHECK(apply(before, diff) == after);
    }
  }
}
