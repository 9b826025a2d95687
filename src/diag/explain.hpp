// `deployc explain CODE`: the long form of every diagnostic of the registry, as plain text.
// The texts live in explain.cpp, one entry per code id; tests/explain/ fails when a code of
// codes.def has no entry, when an entry names no code, and when an example does not do what it
// claims (the wrong one must report the code, the right one must not).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "diag/diagnostic.hpp"

namespace deployc::diag {

struct Explanation {
  std::string_view id;       ///< "D0402"
  std::string_view meaning;  ///< what the diagnostic says, in a few sentences
  std::string_view why;      ///< what goes wrong at deploy time if it is ignored
  /// A spec that reports the code, and the same spec fixed. For the few codes that no spec can
  /// trigger (I/O, internal errors) these are command lines and `compiles` is false.
  std::string_view wrong;
  std::string_view right;
  bool compiles = true;
};

/// Every explanation, in registry order.
const std::vector<Explanation>& all_explanations();
const Explanation* find_explanation(std::string_view id);

/// The text `deployc explain` prints for a code of the registry (ends with a newline).
std::string render_explanation(Code code);

/// `deployc explain ARGS…`: fills `out` (stdout) or `err` (stderr) and returns the exit status:
/// 0, or 2 for an unknown code or a usage error. A code may be given in any case (`d0402`).
int explain_command(const std::vector<std::string_view>& args, std::string& out, std::string& err);

}  // namespace deployc::diag
