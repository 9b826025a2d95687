// The PEGTL control of the parser: turns a failed `must<>` point into the diagnostic that
// errors.hpp maps it to, then throws so the top-level `try_catch` can recover. Included only
// by parse.cpp.
#pragma once

#include <cstdint>
#include <string>
#include <type_traits>

#include "syntax/actions.hpp"
#include "syntax/errors.hpp"

namespace deployc::syntax::detail {

/// Reports the syntax error `info` at byte `at` (honouring the error limit and skipping
/// offsets already reported as bad encoding).
void report_syntax_error(ParseState& s, const SyntaxErrorInfo& info, std::uint32_t at);

/// The exception every syntax error unwinds with; only its type matters to `try_catch`.
[[noreturn]] void throw_syntax_error(std::uint32_t at);

template <typename Rule>
struct control : pegtl::normal<Rule> {
  template <typename ParseInput>
  static void start(const ParseInput& /*in*/, ParseState& s) {
    if constexpr (std::is_same_v<Rule, grammar::top_stmt>) s.reset_statement();
    // Top-level statements alone would be too rare a check: one can be a block of megabytes.
    if constexpr (std::is_same_v<Rule, grammar::top_stmt> ||
                  std::is_same_v<Rule, grammar::block_stmt>) {
      if (s.other_part_stopped()) throw StopParsing{};
    }
  }

  template <typename ParseInput>
  [[noreturn]] static void raise(const ParseInput& in, ParseState& s) {
    static_assert(syntax_error<Rule>.defined,
                  "every must<> error point of grammar/ needs a syntax_error<> entry in "
                  "src/syntax/errors.hpp");
    const std::uint32_t at = s.offset(in.current());
    report_syntax_error(s, syntax_error<Rule>, at);
    throw_syntax_error(at);
  }
};

}  // namespace deployc::syntax::detail
