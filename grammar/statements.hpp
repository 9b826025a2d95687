// Statements and blocks. A statement ends at a line end, at `;`, at a comment or before the
// `}` that closes its block. After its first token every statement is committed (`if_must`):
// a later mismatch is a syntax error at that exact point, never a silent backtrack.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "grammar/values.hpp"

namespace deployc::grammar {

// clang-format off

// ---- separators ------------------------------------------------------------------------------
struct stmt_semicolon : one<';'> {};
// Each alternative starts with bytes of its own, so the next byte picks the only one that can
// match, instead of each being tried in turn before every statement.
struct sep : star<sor<plus<blank_char>, line_end, comment, stmt_semicolon>> {
  template <apply_mode A, rewind_mode, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename... States>
  [[nodiscard]] static bool match(ParseInput& in, States&&... st) {
    while (!in.empty()) {
      const char c = in.peek_char();
      // Most separators are a line end and the next line's indentation: tested first. Neither
      // has an action or an error point, so they are skipped as `line_end` and `blanks` match.
      if (c == '\n') {
        in.bump_to_next_line(1);
      } else if (c == ' ' || c == '\t') {
        skip_indentation(in);
      } else if (c == '#') {
        static_cast<void>(alternative<comment, A, Action, Control>(in, st...));
      } else if (c == '\r') {
        // A `\r` alone matches nothing here, and ends the separator.
        if (!alternative<line_end, A, Action, Control>(in, st...)) return true;
      } else if (c == ';') {
        static_cast<void>(alternative<stmt_semicolon, A, Action, Control>(in, st...));
      } else {
        return true;
      }
    }
    return true;
  }

 private:
  /// Skips the blanks at the input, as `blanks` does; indentation is runs of spaces, eight
  /// bytes of which are tested at a time.
  template <typename ParseInput>
  static void skip_indentation(ParseInput& in) {
    const char* p = in.current();
    const char* const end = in.end();
    if constexpr (std::endian::native == std::endian::little) {
      for (; end - p >= 8; p += 8) {
        std::uint64_t word;
        std::memcpy(&word, p, sizeof word);
        // Zero where a byte is a space: the first byte that is not ends the run of spaces.
        if (const std::uint64_t others = word ^ 0x2020202020202020u; others != 0) {
          p += std::countr_zero(others) / 8;
          break;
        }
      }
    }
    while (p != end && chars::blank(*p)) ++p;  // tabs, and the last bytes
    in.bump_in_this_line(static_cast<std::size_t>(p - in.current()));
  }
  template <typename Rule, apply_mode A, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename... States>
  static bool alternative(ParseInput& in, States&&... st) {
    return Control<Rule>::template match<A, rewind_mode::required, Action, Control>(in, st...);
  }
};
struct block_open : one<'{'> {};
struct block_close : one<'}'> {};
struct stmt_end : seq<blanks, sor<stmt_semicolon, line_end, eof, at<one<'#'>>, at<block_close>>> {};

// ---- blocks ----------------------------------------------------------------------------------
struct statement;
struct block_stmt : seq<statement, must<stmt_end>> {};
struct block_body : star<block_stmt, sep> {};
struct block : if_must<block_open, sep, block_body, block_close> {};
struct opt_block : opt<block> {};

// ---- arguments -------------------------------------------------------------------------------
// `key=value` (no blanks around `=`) or a positional value.
struct arg_key : seq<ident, at<one<'='>>> {};
struct arg_eq : one<'='> {};
struct arg_value : seq<value> {};
struct keyed_arg : if_must<arg_key, arg_eq, arg_value> {};
struct positional_arg : seq<value> {};
// Arguments are separated by blanks: `"a""b"` or `[a]b` are two values run together.
namespace chars {
/// The bytes a value can start with (a string, a list, a number or a name): what may not
/// follow an argument directly, and what may start the next one.
inline bool value_first(char c) {
  return c == '"' || c == '[' || ident_other_table[static_cast<unsigned char>(c)];
}
}  // namespace chars
struct arg_boundary : not_at<sor<one<'"', '['>, ident_other>> {
  // Tested after every argument: one look at the next byte.
  template <apply_mode, rewind_mode, template <typename...> class, template <typename...> class,
            typename ParseInput, typename... States>
  [[nodiscard]] static bool match(ParseInput& in, States&&... /*st*/) {
    return in.empty() || !chars::value_first(in.peek_char());
  }
};
// Whether an argument is keyed shows in its first word: it is directly followed by `=`. Looking
// first goes straight to the alternative that matches, instead of matching the name of every
// positional argument twice (as a failed key, then as its value).
struct arg : seq<sor<keyed_arg, positional_arg>, must<arg_boundary>> {
  template <apply_mode A, rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename... States>
  [[nodiscard]] static bool match(ParseInput& in, States&&... st) {
    if (is_keyed(in.current(), in.end())) {
      // After its key a keyed argument is committed: it matches or raises.
      static_cast<void>(Control<keyed_arg>::template match<A, M, Action, Control>(in, st...));
    } else if (!Control<positional_arg>::template match<A, M, Action, Control>(in, st...)) {
      return false;
    }
    return Control<must<arg_boundary>>::template match<A, M, Action, Control>(in, st...);
  }

 private:
  /// Whether `arg_key` matches at `p`.
  static bool is_keyed(const char* p, const char* end) {
    if (p == end || !chars::ident_first(*p)) return false;
    p = chars::skip_ident_other(p + 1, end);
    return p != end && *p == '=';
  }
};
// Most statements have no argument, or end their arguments at a line end or a block: the next
// byte shows when no argument can start there, without trying to match one.
struct args : star<arg, blanks> {
  template <apply_mode A, rewind_mode, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename... States>
  [[nodiscard]] static bool match(ParseInput& in, States&&... st) {
    // An argument that fails consumes nothing: it is committed after its key, and a value's
    // alternatives fail on their first byte.
    while (!in.empty() && chars::value_first(in.peek_char()) &&
           Control<arg>::template match<A, rewind_mode::required, Action, Control>(in, st...)) {
      static_cast<void>(blanks::match<A, rewind_mode::required, Action, Control>(in, st...));
    }
    return true;
  }
};

// ---- `= value` -------------------------------------------------------------------------------
struct assign_eq : one<'='> {};
struct default_value : seq<value> {};
struct default_assign : if_must<assign_eq, blanks, default_value, blanks> {};
struct opt_default : opt<default_assign> {};
struct assigned_value : seq<value> {};
struct assignment : if_must<assign_eq, blanks, assigned_value, blanks> {};

// ---- declarations ----------------------------------------------------------------------------
struct import_path : seq<string_lit> {};
struct import_stmt : if_must<kw_import, blanks, import_path, blanks> {};

struct decl_name : ident {};
struct type_colon : one<':'> {};
struct decl_type : seq<type_expr> {};
struct param_stmt : if_must<kw_param, blanks, decl_name, blanks, type_colon, blanks, decl_type,
                            blanks, opt_default> {};
struct flag_stmt : if_must<kw_flag, blanks, decl_name, blanks, opt_default> {};
struct env_stmt : if_must<kw_env, blanks, decl_name, blanks, type_colon, blanks, decl_type,
                          blanks, opt_default, args, opt_block> {};

struct when_not : one<'!'> {};
struct when_negation : opt<when_not, blanks> {};
struct when_flag : ident {};
struct when_body : seq<block> {};
struct when_stmt : if_must<kw_when, blanks, when_negation, when_flag, blanks, when_body> {};

// ---- settings --------------------------------------------------------------------------------
// Every other statement: `keyword = value` or `keyword arg…`, then an optional block.
struct setting_keyword : ident {};
struct setting_tail : seq<sor<assignment, args>, opt_block> {};
struct setting_stmt : if_must<setting_keyword, blanks, setting_tail> {};

// clang-format on

// A statement is the `sor` it derives from: its first word is a declaration keyword, or else
// it starts a setting (PEGTL's grammar analysis sees exactly that `sor`). Matching looks at the
// first word once and goes straight to its alternative instead of trying each keyword in turn:
// the result is the same, as every alternative commits (`if_must`) after its keyword.
struct statement : sor<import_stmt, param_stmt, flag_stmt, env_stmt, when_stmt, setting_stmt> {
  template <apply_mode A, rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename... States>
  [[nodiscard]] static bool match(ParseInput& in, States&&... st) {
    // The keywords differ in their first letter; most statements are settings, whose first word
    // is then read only by `setting_keyword`, not here too.
    switch (in.empty() ? '\0' : in.peek_char()) {
      case 'i':
        return declaration_or_setting<import_stmt, A, M, Action, Control>("import", in, st...);
      case 'p':
        return declaration_or_setting<param_stmt, A, M, Action, Control>("param", in, st...);
      case 'f':
        return declaration_or_setting<flag_stmt, A, M, Action, Control>("flag", in, st...);
      case 'e':
        return declaration_or_setting<env_stmt, A, M, Action, Control>("env", in, st...);
      case 'w':
        return declaration_or_setting<when_stmt, A, M, Action, Control>("when", in, st...);
      default:
        return Control<setting_stmt>::template match<A, M, Action, Control>(in, st...);
    }
  }

 private:
  /// `Declaration` when the statement's first word is its `keyword`, else a setting.
  template <typename Declaration, apply_mode A, rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, std::size_t N, typename ParseInput,
            typename... States>
  static bool declaration_or_setting(const char (&keyword)[N], ParseInput& in, States&&... st) {
    if (is_word(in.current(), in.end(), keyword))
      return Control<Declaration>::template match<A, M, Action, Control>(in, st...);
    return Control<setting_stmt>::template match<A, M, Action, Control>(in, st...);
  }
  /// Whether the word at `p` is `keyword`, as `reserved<>` matches it: the keyword, then no
  /// identifier character.
  template <std::size_t N>
  static bool is_word(const char* p, const char* end, const char (&keyword)[N]) {
    constexpr std::size_t size = N - 1;
    const auto left = static_cast<std::size_t>(end - p);
    if (left < size || std::memcmp(p, keyword, size) != 0) return false;
    return left == size || !chars::ident_other(p[size]);
  }
};

}  // namespace deployc::grammar
