// Tokens of the `.deploy` language: blanks, line ends, comments, identifiers, reserved words,
// strings and numbers. Pure PEGTL rules (no actions, no state): src/syntax/ gives them meaning,
// src/syntax/errors.hpp gives every `must<>` point below a diagnostic.
#pragma once

#include <tao/pegtl.hpp>

namespace deployc::grammar {

using namespace tao::pegtl;  // NOLINT: rule definitions read like PEG only with the bare names

// clang-format off

// ---- whitespace and comments ----------------------------------------------------------------
struct bom : string<'\xEF', '\xBB', '\xBF'> {};
// Blanks never cross a line: a line end ends the statement.
struct blank_char : one<' ', '\t'> {};
struct blanks : star<blank_char> {};
struct line_end : sor<one<'\n'>, string<'\r', '\n'>> {};
// Everything up to the line end; a lone `\r` is part of the comment. `plus` reads the plain run
// of characters in one loop instead of one `sor` round per character.
struct comment_body : star<sor<plus<not_one<'\r', '\n'>>, seq<one<'\r'>, not_at<one<'\n'>>>>> {};
// `## …` documents the statement below it; `# …` is an ordinary comment.
struct doc_comment : seq<two<'#'>, comment_body> {};
struct line_comment : seq<one<'#'>, comment_body> {};
struct comment : sor<doc_comment, line_comment> {};

// ---- identifiers and reserved words ----------------------------------------------------------
struct ident_first : ranges<'a', 'z', 'A', 'Z', '_'> {};
// `-` and `.` continue an identifier: `on-failure`, `json-file`.
// One `ranges` rather than a `sor` of classes: identifiers are most of the input.
struct ident_other : ranges<'a', 'z', 'A', 'Z', '0', '9', '-', '.', '_'> {};
struct ident : seq<ident_first, star<ident_other>> {};

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
struct str_plain : plus<not_one<'"', '\\', '{', '}', '\r', '\n'>> {};
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
struct str_pieces : star<str_piece> {};
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
