// Values and type expressions: what follows `=`, `key=` and `:`. Lists are the only construct
// that may continue over line ends.
#pragma once

#include "grammar/lexical.hpp"

namespace deployc::grammar {

// clang-format off

// ---- values ----------------------------------------------------------------------------------
struct value;
struct value_ident : ident {};
struct list_open : one<'['> {};
struct list_comma : one<','> {};
struct list_close : one<']'> {};
// Inside `[ … ]` line ends and comments are blanks.
struct list_sep : star<sor<blank_char, line_end, comment>> {};
struct list_item : seq<value> {};
struct list_delim : sor<list_comma, at<list_close>> {};
struct list_items : star<list_item, list_sep, must<list_delim>, list_sep> {};
struct list_value : if_must<list_open, list_sep, list_items, list_close> {};
// The alternatives start with different bytes: the first one picks the alternative to match,
// instead of each being tried in turn (a number before every name).
struct value : sor<string_lit, list_value, number, value_ident> {
  template <apply_mode A, rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename... States>
  [[nodiscard]] static bool match(ParseInput& in, States&&... st) {
    if (in.empty()) return false;
    const char c = in.peek_char();
    if (c == '"') return Control<string_lit>::template match<A, M, Action, Control>(in, st...);
    if (c == '[') return Control<list_value>::template match<A, M, Action, Control>(in, st...);
    if (chars::digit(c)) return Control<number>::template match<A, M, Action, Control>(in, st...);
    return Control<value_ident>::template match<A, M, Action, Control>(in, st...);
  }
};

// ---- types -----------------------------------------------------------------------------------
// `string`, `url<postgresql+asyncpg, postgresql>`, `list<host>`, `enum(debug|info)`. Type
// arguments may be url schemes, hence `+` in names.
struct type_name : seq<ident_first, star<sor<ident_other, one<'+'>>>> {
  // One loop, as `ident` matches.
  template <apply_mode, rewind_mode, template <typename...> class, template <typename...> class,
            typename ParseInput, typename... States>
  [[nodiscard]] static bool match(ParseInput& in, States&&... /*st*/) {
    const char* p = in.current();
    if (p == in.end() || !chars::ident_first(*p)) return false;
    ++p;
    while (p != in.end() && (chars::ident_other_table[static_cast<unsigned char>(*p)] || *p == '+'))
      ++p;
    in.bump_in_this_line(static_cast<std::size_t>(p - in.current()));
    return true;
  }
};
struct type_expr;
struct type_arg : seq<type_expr> {};
struct angle_open : one<'<'> {};
struct type_comma : one<','> {};
struct angle_close : one<'>'> {};
struct more_type_args : star<if_must<type_comma, blanks, type_arg, blanks>> {};
struct type_args_angle : if_must<angle_open, blanks, type_arg, blanks, more_type_args,
                                 angle_close> {};
struct enum_member : type_name {};
struct enum_open : one<'('> {};
struct enum_bar : one<'|'> {};
struct enum_close : one<')'> {};
struct more_enum_members : star<if_must<enum_bar, blanks, enum_member, blanks>> {};
struct type_args_enum : if_must<enum_open, blanks, enum_member, blanks, more_enum_members,
                                enum_close> {};
struct type_args : sor<type_args_angle, type_args_enum> {};
struct type_expr : seq<type_name, opt<type_args>> {};

// clang-format on

}  // namespace deployc::grammar
