// POSIX shell quoting, for command lines the tool prints (headers, docs, usage hints) that a
// user pastes into a shell as they are.
#pragma once

#include <string>
#include <string_view>

namespace deployc {

/// `word` as one shell word: unchanged when it holds only characters no shell treats specially,
/// otherwise in single quotes (a `'` inside written as `'\''`).
inline std::string shell_quote(std::string_view word) {
  const bool plain = !word.empty() && word.find_first_not_of(
                                          "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                          "0123456789_-.,/:=+@%") == std::string_view::npos;
  if (plain) return std::string(word);
  std::string out = "'";
  for (const char c : word) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

}  // namespace deployc
