// The top rule `file`, with recovery: a top-level statement that fails is skipped up to the
// next line that starts, in column 1, with an identifier (optionally after column-1 comment
// lines, so a doc comment stays with its statement), and parsing goes on from there.
#pragma once

#include "grammar/statements.hpp"

namespace deployc::grammar {

// clang-format off
struct top_stmt : seq<statement, must<stmt_end>> {};
struct comment_line : seq<one<'#'>, comment_body, line_end> {};
struct sync_point : sor<eof, seq<line_end, at<star<comment_line>, ident_first>>> {};
// `any` first: the skip must consume, or the loop in `file` would never advance.
struct skip_to_sync : seq<any, until<sync_point>> {};
struct top_item : sor<try_catch<must<top_stmt>>, skip_to_sync> {};
struct file : seq<opt<bom>, sep, star<not_at<eof>, top_item, sep>, eof> {};
// clang-format on

}  // namespace deployc::grammar
