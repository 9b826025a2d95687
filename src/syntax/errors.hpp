// Every error point of grammar/ (each rule a `must<>` can raise on) mapped to its diagnostic:
// the code (its message lives in diag/codes.def), a help line, and which context the message
// and labels need. control.hpp static_asserts that an entry exists, so a new `must<>` point
// without one fails the build. Points that cannot fail map to D0100.
#pragma once

#include <string_view>

#include "diag/diagnostic.hpp"
#include "grammar/deploy.hpp"

namespace deployc::syntax::detail {

/// What, besides the found token, a message or its labels refer to.
enum class ErrorContext {
  None,
  BlockOpen,   ///< `{1}` = statement keyword; secondary label at the `{` of the open block
  ListOpen,    ///< secondary label at the `[` of the open list
  StringOpen,  ///< the primary label covers the unterminated string from its `"`
  TypeName,    ///< `{3}` = the type whose arguments are open
  ArgKey,      ///< `{3}` = `key=`
  Equals,      ///< `{3}` = `=`
  Escape,      ///< `{3}` = the character after `\`; the label covers the escape
  SubstName,   ///< `{3}` = the name of the open `{name`
  NumberText,  ///< `{3}` = the number read so far
};

struct SyntaxErrorInfo {
  diag::Code code;
  std::string_view help = {};
  ErrorContext context = ErrorContext::None;
  bool defined = true;
};

template <typename Rule>
inline constexpr SyntaxErrorInfo syntax_error{
    diag::Code::InternalParserState, {}, ErrorContext::None, false};

using diag::Code;
namespace g = grammar;

inline constexpr SyntaxErrorInfo internal_point{Code::InternalParserState};

// clang-format off

// ---- rules that match the empty input and so never fail ----------------------------------------
template <> inline constexpr SyntaxErrorInfo syntax_error<g::blanks> = internal_point;
template <> inline constexpr SyntaxErrorInfo syntax_error<g::sep> = internal_point;
template <> inline constexpr SyntaxErrorInfo syntax_error<g::str_pieces> = internal_point;
template <> inline constexpr SyntaxErrorInfo syntax_error<g::list_sep> = internal_point;
template <> inline constexpr SyntaxErrorInfo syntax_error<g::list_items> = internal_point;
template <> inline constexpr SyntaxErrorInfo syntax_error<g::more_type_args> = internal_point;
template <> inline constexpr SyntaxErrorInfo syntax_error<g::more_enum_members> = internal_point;
template <> inline constexpr SyntaxErrorInfo syntax_error<g::block_body> = internal_point;
template <> inline constexpr SyntaxErrorInfo syntax_error<g::args> = internal_point;
template <> inline constexpr SyntaxErrorInfo syntax_error<g::opt_block> = internal_point;
template <> inline constexpr SyntaxErrorInfo syntax_error<g::opt_default> = internal_point;
template <> inline constexpr SyntaxErrorInfo syntax_error<g::when_negation> = internal_point;
template <> inline constexpr SyntaxErrorInfo syntax_error<g::setting_tail> = internal_point;
// `arg_key` already looked ahead for the `=`.
template <> inline constexpr SyntaxErrorInfo syntax_error<g::arg_eq> = internal_point;

// ---- statements ---------------------------------------------------------------------------------
template <> inline constexpr SyntaxErrorInfo syntax_error<g::top_stmt> = {
    Code::ExpectedStatement,
    "a statement starts with a name: `service backend { … }`, `param x: string`, `env X: int`"};
template <> inline constexpr SyntaxErrorInfo syntax_error<g::stmt_end> = {
    Code::ExpectedStatementEnd,
    "put one statement per line, or separate statements with `;`"};
template <> inline constexpr SyntaxErrorInfo syntax_error<g::block_close> = {
    Code::ExpectedBlockClose,
    "every statement in a block starts with a name; close the block with `}`",
    ErrorContext::BlockOpen};
template <> inline constexpr SyntaxErrorInfo syntax_error<g::import_path> = {
    Code::ExpectedImportPath, "write the module path in quotes: `import \"std/logging\"`"};
template <> inline constexpr SyntaxErrorInfo syntax_error<g::decl_name> = {
    Code::ExpectedDeclName,
    "names look like `project_slug`; `import`, `param`, `flag`, `env` and `when` start "
    "declarations and cannot name a setting"};
template <> inline constexpr SyntaxErrorInfo syntax_error<g::type_colon> = {
    Code::ExpectedTypeColon, "declare the type after a colon: `param name: string = \"x\"`"};
template <> inline constexpr SyntaxErrorInfo syntax_error<g::decl_type> = {
    Code::ExpectedType,
    "types are `string`, `int`, `bool`, `port`, `duration`, `memory`, `cpu`, `url<scheme>`, "
    "`host`, `path`, `image`, `list<T>` and `enum(a|b)`"};
template <> inline constexpr SyntaxErrorInfo syntax_error<g::default_value> = {
    Code::ExpectedValue, "a value is a string, a number, a name or a list `[a, b]`",
    ErrorContext::Equals};
template <> inline constexpr SyntaxErrorInfo syntax_error<g::assigned_value> = {
    Code::ExpectedValue, "a value is a string, a number, a name or a list `[a, b]`",
    ErrorContext::Equals};
template <> inline constexpr SyntaxErrorInfo syntax_error<g::when_flag> = {
    Code::ExpectedWhenFlag, "`when include_sentry { … }` or `when !include_sentry { … }`"};
template <> inline constexpr SyntaxErrorInfo syntax_error<g::when_body> = {
    Code::ExpectedWhenBlock, "`when` applies to a block on the same line: `when flag { … }`"};

// ---- arguments ----------------------------------------------------------------------------------
template <> inline constexpr SyntaxErrorInfo syntax_error<g::arg_value> = {
    Code::ExpectedValue, "write `key=value` without spaces around `=`", ErrorContext::ArgKey};
template <> inline constexpr SyntaxErrorInfo syntax_error<g::arg_boundary> = {
    Code::ExpectedArgSeparator, "separate arguments with a space"};

// ---- values -------------------------------------------------------------------------------------
template <> inline constexpr SyntaxErrorInfo syntax_error<g::list_delim> = {
    Code::ExpectedListDelimiter, "separate list items with `,`: `[a, b, c]`",
    ErrorContext::ListOpen};
template <> inline constexpr SyntaxErrorInfo syntax_error<g::list_close> = {
    Code::ExpectedListClose, "list items are values: strings, numbers, names or lists",
    ErrorContext::ListOpen};
template <> inline constexpr SyntaxErrorInfo syntax_error<g::number_end> = {
    Code::MalformedNumber,
    "numbers are digits with an optional fraction and unit, like `1.5`, `512M` or `1m30s`; "
    "quote other text, like `\"0.0.0.0\"`",
    ErrorContext::NumberText};

// ---- strings ------------------------------------------------------------------------------------
template <> inline constexpr SyntaxErrorInfo syntax_error<g::string_close> = {
    Code::UnterminatedString, "strings end on the same line; close it with `\"`",
    ErrorContext::StringOpen};
template <> inline constexpr SyntaxErrorInfo syntax_error<g::escape_char> = {
    Code::UnknownEscape, "the escapes are `\\\"`, `\\\\`, `\\n`, `\\t`, `\\{` and `\\}`",
    ErrorContext::Escape};
template <> inline constexpr SyntaxErrorInfo syntax_error<g::subst_name> = {
    Code::ExpectedSubstitutionName, "`{name}` inserts a param; write `{{` for a literal `{`"};
template <> inline constexpr SyntaxErrorInfo syntax_error<g::subst_close> = {
    Code::ExpectedSubstitutionClose, "`{name}` inserts a param; write `{{` for a literal `{`",
    ErrorContext::SubstName};
template <> inline constexpr SyntaxErrorInfo syntax_error<g::unmatched_close_brace> = {
    Code::UnmatchedCloseBrace, "write `}}` for a literal `}`"};

// ---- types --------------------------------------------------------------------------------------
template <> inline constexpr SyntaxErrorInfo syntax_error<g::type_arg> = {
    Code::ExpectedTypeArg, "type arguments are names: `url<postgresql+asyncpg, postgresql>`",
    ErrorContext::TypeName};
template <> inline constexpr SyntaxErrorInfo syntax_error<g::angle_close> = {
    Code::ExpectedTypeArgsClose, "close the type arguments with `>`: `list<host>`",
    ErrorContext::TypeName};
template <> inline constexpr SyntaxErrorInfo syntax_error<g::enum_member> = {
    Code::ExpectedEnumMember, "enum members are names separated by `|`: `enum(debug|info)`",
    ErrorContext::TypeName};
template <> inline constexpr SyntaxErrorInfo syntax_error<g::enum_close> = {
    Code::ExpectedEnumClose, "enum members are names separated by `|`: `enum(debug|info)`",
    ErrorContext::TypeName};

// clang-format on

}  // namespace deployc::syntax::detail
