// "Did you mean …?" for unknown names. Pure functions: no state, same answer on every machine.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace deployc::diag {

/// Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of two
/// adjacent bytes each cost 1 (`DATABSE` → `DATABASE` is 1, `teh` → `the` is 1).
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate `name` was most likely meant to be, or nullopt when none is close.
///
/// Close means: equal ignoring ASCII case (preferred), or within edit distance 2 and the
/// distance smaller than `name`'s length (so a one-letter name never "means" any other short
/// word). A candidate equal to `name` is never suggested. Ties go to the smaller distance, then
/// to a case-insensitive match, then to the lexicographically smallest candidate, so the
/// answer does not depend on the order of `candidates`.
std::optional<std::string> closest(std::string_view name,
                                   const std::vector<std::string>& candidates);

}  // namespace deployc::diag
