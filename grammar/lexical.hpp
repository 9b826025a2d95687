// Tokens of the `.deploy` language: blanks, line ends, comments, identifiers, reserved words,
// strings and numbers. Pure PEGTL rules (no actions, no state): src/syntax/ gives them meaning,
// src/syntax/errors.hpp gives every `must<>` point below a diagnostic.
#pragma once

#include <tao/pegtl.hpp>

#include <array>
#include <bit>
#include <cstddef>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace deployc::grammar {

using namespace tao::pegtl;  // NOLINT: rule definitions read like PEG only with the bare names

// Byte classes, for the rules below that match with a loop of their own instead of a rule match
// per byte, or that look at the next byte to try only the alternative that can match (each says
// why). Such a rule keeps its PEGTL definition as its base, which the grammar analysis, the tests
// and the README read; its own match accepts exactly the same text, and matches through Control
// every sub-rule that has an action or an error point, as the definition does.
namespace chars {
constexpr bool blank(char c) {
  return c == ' ' || c == '\t';
}
constexpr bool ident_first(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
constexpr bool digit(char c) {
  return c >= '0' && c <= '9';
}
constexpr bool ident_other(char c) {
  return ident_first(c) || digit(c) || c == '-' || c == '.';
}
/// A byte class by table: a test per byte rather than a comparison per range.
constexpr std::array<bool, 256> table_of(bool (*in_class)(char)) {
  std::array<bool, 256> table{};
  for (int c = 0; c < 256; ++c) table[static_cast<std::size_t>(c)] = in_class(static_cast<char>(c));
  return table;
}
inline constexpr auto ident_first_table = table_of(ident_first);
inline constexpr auto ident_other_table = table_of(ident_other);
/// The end of the run of `ident_other` bytes from `p`.
inline const char* skip_ident_other(const char* p, const char* end) {
  const auto other = [](char c) { return ident_other_table[static_cast<unsigned char>(c)]; };
  // One test of the end per four bytes: identifiers are half of a spec's bytes.
  for (; end - p >= 4; p += 4) {
    if (!other(p[0])) return p;
    if (!other(p[1])) return p + 1;
    if (!other(p[2])) return p + 2;
    if (!other(p[3])) return p + 3;
  }
  while (p != end && other(*p)) ++p;
  return p;
}
}  // namespace chars

// clang-format off

// ---- whitespace and comments ----------------------------------------------------------------
struct bom : string<'\xEF', '\xBB', '\xBF'> {};
// Blanks never cross a line: a line end ends the statement.
struct blank_char : one<' ', '\t'> {};
// Blanks are tried between every two tokens: one loop, not a rule match per character.
struct blanks : star<blank_char> {
  template <apply_mode, rewind_mode, template <typename...> class, template <typename...> class,
            typename ParseInput, typename... States>
  [[nodiscard]] static bool match(ParseInput& in, States&&... /*st*/) {
    const char* p = in.current();
    while (p != in.end() && chars::blank(*p)) ++p;
    in.bump_in_this_line(static_cast<std::size_t>(p - in.current()));
    return true;
  }
};
struct line_end : sor<one<'\n'>, string<'\r', '\n'>> {};
// Everything up to the line end; a lone `\r` is part of the comment. Matched with one memchr for
// the line end: comments are an eighth of a spec's bytes.
struct comment_body : star<sor<plus<not_one<'\r', '\n'>>, seq<one<'\r'>, not_at<one<'\n'>>>>> {
  template <apply_mode, rewind_mode, template <typename...> class, template <typename...> class,
            typename ParseInput, typename... States>
  [[nodiscard]] static bool match(ParseInput& in, States&&... /*st*/) {
    const char* p = in.current();
    const auto* line_end =
        static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(in.end() - p)));
    const char* stop = line_end ? line_end : in.end();
    // The `\r` of a CRLF ends the comment; any other `\r` is part of it.
    if (line_end && stop != p && stop[-1] == '\r') --stop;
    in.bump_in_this_line(static_cast<std::size_t>(stop - p));
    return true;
  }
};
// `## …` documents the statement below it; `# …` is an ordinary comment.
struct doc_comment : seq<two<'#'>, comment_body> {};
struct line_comment : seq<one<'#'>, comment_body> {};
struct comment : sor<doc_comment, line_comment> {};

// ---- identifiers and reserved words ----------------------------------------------------------
struct ident_first : ranges<'a', 'z', 'A', 'Z', '_'> {};
// `-` and `.` continue an identifier: `on-failure`, `json-file`.
// One `ranges` rather than a `sor` of classes: identifiers are most of the input.
struct ident_other : ranges<'a', 'z', 'A', 'Z', '0', '9', '-', '.', '_'> {};
// Identifiers are most of the input: one loop over their bytes.
struct ident : seq<ident_first, star<ident_other>> {
  template <apply_mode, rewind_mode, template <typename...> class, template <typename...> class,
            typename ParseInput, typename... States>
  [[nodiscard]] static bool match(ParseInput& in, States&&... /*st*/) {
    const char* p = in.current();
    if (p == in.end() || !chars::ident_first_table[static_cast<unsigned char>(*p)]) return false;
    p = chars::skip_ident_other(p + 1, in.end());
    in.bump_in_this_line(static_cast<std::size_t>(p - in.current()));
    return true;
  }
};

template <typename Word>
struct reserved : seq<Word, not_at<ident_other>> {};
struct kw_import : reserved<TAO_PEGTL_STRING("import")> {};
struct kw_param : reserved<TAO_PEGTL_STRING("param")> {};
struct kw_flag : reserved<TAO_PEGTL_STRING("flag")> {};
struct kw_env : reserved<TAO_PEGTL_STRING("env")> {};
struct kw_when : reserved<TAO_PEGTL_STRING("when")> {};

// ---- strings ---------------------------------------------------------------------------------
// "…" on one line; `\"` `\\` `\n` `\t` `\{` `\}` escapes, `{{` `}}` literal braces, `{name}`
// substitutes a param.
struct string_open : one<'"'> {};
struct string_close : one<'"'> {};
// Most of a string: one loop over its plain bytes.
struct str_plain : plus<not_one<'"', '\\', '{', '}', '\r', '\n'>> {
  template <apply_mode, rewind_mode, template <typename...> class, template <typename...> class,
            typename ParseInput, typename... States>
  [[nodiscard]] static bool match(ParseInput& in, States&&... /*st*/) {
    const char* p = in.current();
    const char* const end = in.end();
#if defined(__SSE2__)
    // Sixteen bytes at a time while there are sixteen: string text runs long (image names,
    // URLs), and stops only at six bytes.
    for (; end - p >= 16; p += 16) {
      const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      const auto is = [&](char c) { return _mm_cmpeq_epi8(bytes, _mm_set1_epi8(c)); };
      const __m128i stops = _mm_or_si128(
          _mm_or_si128(_mm_or_si128(is('"'), is('\\')), _mm_or_si128(is('{'), is('}'))),
          _mm_or_si128(is('\r'), is('\n')));
      if (const auto found = static_cast<unsigned>(_mm_movemask_epi8(stops)); found != 0) {
        p += std::countr_zero(found);
        break;
      }
    }
#endif
    while (p != end && plain[static_cast<unsigned char>(*p)]) ++p;
    if (p == in.current()) return false;
    in.bump_in_this_line(static_cast<std::size_t>(p - in.current()));
    return true;
  }

 private:
  static constexpr auto plain = chars::table_of([](char c) {
    return c != '"' && c != '\\' && c != '{' && c != '}' && c != '\r' && c != '\n';
  });
};
struct escape_char : one<'"', '\\', 'n', 't', '{', '}'> {};
struct str_escape : if_must<one<'\\'>, escape_char> {};
struct str_open_brace : two<'{'> {};
struct str_close_brace : two<'}'> {};
struct subst_name : ident {};
struct subst_close : one<'}'> {};
struct str_subst : if_must<one<'{'>, subst_name, subst_close> {};
// A `}` that is neither `}}` nor the end of a substitution.
struct unmatched_close_brace : one<'}'> {};
struct str_stray_brace : seq<at<one<'}'>>, raise<unmatched_close_brace>> {};
struct str_piece : sor<str_plain, str_escape, str_open_brace, str_subst, str_close_brace,
                       str_stray_brace> {};
// A string's pieces end at its closing quote, where no piece matches: the quote ends the loop
// without a try of each alternative.
struct str_pieces : star<str_piece> {
  template <apply_mode A, rewind_mode, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename... States>
  [[nodiscard]] static bool match(ParseInput& in, States&&... st) {
    using piece = Control<str_piece>;
    while (!in.empty() && in.peek_char() != '"' &&
           piece::template match<A, rewind_mode::required, Action, Control>(in, st...)) {
    }
    return true;
  }
};
struct string_lit : if_must<string_open, str_pieces, string_close> {};

// ---- numbers and quantities ------------------------------------------------------------------
// Digits, an optional fraction, then unit letters, repeatable: 8000 1.0 512M 30s 1m30s 500ms.
struct digits : plus<digit> {};
struct magnitude : seq<digits, opt<one<'.'>, digits>> {};
struct unit : plus<alpha> {};
struct number_end : not_at<ident_other> {};
struct number : seq<magnitude, star<unit, opt<magnitude>>, must<number_end>> {};

// clang-format on

}  // namespace deployc::grammar
