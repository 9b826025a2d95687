// The AST builder: ParseState plus one PEGTL action per grammar rule that carries meaning.
// Included only by parse.cpp. Actions fire once per match because every construct commits
// (`if_must`) after its first token; the only rewinds are top-level recoveries, and
// ParseState::reset_statement() discards the half-built statement when one happens.
//
// A statement is built in place, on the stack of open statements: its keyword picks the
// ast::Stmt alternative, and each later piece is stored straight into it, so a statement is
// copied only once, into its block's exact-size array in the tree's arena (see ast.hpp). Every
// other sequence (arguments, list items, type arguments, string parts) is gathered the same way
// on a stack of its own, and copied into the arena when its construct closes.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "diag/engine.hpp"
#include "grammar/deploy.hpp"
#include "support/overloaded.hpp"
#include "syntax/ast.hpp"

namespace deployc::syntax::detail {

namespace pegtl = tao::pegtl;

/// Blocks, lists and type arguments together may nest this deep; deeper is D0124.
inline constexpr int max_nesting = 64;
/// Syntax errors per file before the parser gives up (D0127).
inline constexpr std::size_t max_syntax_errors = 100;

/// Thrown (and caught inside parse()) when the error limit or the nesting limit is reached.
struct StopParsing {};

/// A statement under construction: its pieces arrive one action at a time, and are stored
/// straight into its node in ParseState::stmts.
struct Frame {
  std::size_t index = 0;     ///< where its statement is in ParseState::stmts
  std::string_view keyword;  ///< into the source text, which outlives the parse
  std::uint32_t begin = 0;
  /// The statement matched and waits for its end (`;`, line end…). Errors at that point
  /// belong to the enclosing statement, as no piece of this one is missing.
  bool matched = false;
  std::optional<std::uint32_t> block_open;
  std::size_t args_mark = 0;  ///< where this frame's arguments start in ParseState::args
};

/// Stores a piece in the statement alternative that has a place for it. The grammar only
/// produces a piece where its statement kind has one; the other alternatives ignore it.
inline void set_name(ast::Stmt& stmt, ast::Ident name) {
  std::visit(
      overloaded{[&](ast::When& n) { n.flag = name; }, [&](ast::Setting& n) { n.keyword = name; },
                 [&](auto& n) {
                   if constexpr (requires { n.name; }) n.name = name;
                 }},
      stmt.node);
}
/// The type of a declaration, already in the arena.
inline void set_type(ast::Stmt& stmt, const ast::TypeExpr* type) {
  std::visit(
      [&](auto& n) {
        if constexpr (requires { n.type; }) n.type = type;
      },
      stmt.node);
}
/// The default of a declaration or the `= value` of a setting, already in the arena.
inline void set_value(ast::Stmt& stmt, ast::Optional<ast::Value> value) {
  std::visit(overloaded{[&](ast::Setting& n) { n.assigned = value; },
                        [&](auto& n) {
                          if constexpr (requires { n.default_value; }) n.default_value = value;
                        }},
             stmt.node);
}
/// The statement's arguments, already in the arena.
inline void set_args(ast::Stmt& stmt, ast::Seq<ast::Arg> args) {
  std::visit(
      [&](auto& n) {
        if constexpr (requires { n.args; }) n.args = args;
      },
      stmt.node);
}
/// A `when` holds its block; the other statements with one point to it in the arena.
inline void set_body(ast::Stmt& stmt, const ast::Block& body, ast::Arena& arena) {
  std::visit(overloaded{[&](ast::When& n) { n.body = body; },
                        [&](auto& n) {
                          if constexpr (requires { n.body; }) n.body = arena.make(body);
                        }},
             stmt.node);
}

struct ParseState {
  /// `source` is the whole file, also when only a part of it is parsed (`parsed_bytes` of it):
  /// offsets, and so spans, are always from the start of the file.
  ParseState(FileId file_id, std::string_view source, diag::DiagnosticEngine& engine,
             std::size_t parsed_bytes)
      : file(file_id), text(source), diags(&engine) {
    out.file = file_id;
    out.arena = std::make_unique<ast::Arena>(first_arena_block(parsed_bytes));
  }

  /// The arena's first block, sized so that the whole tree usually fits in it: a large spec
  /// then takes one block (or two), not dozens, and a small one reserves a few kilobytes. The
  /// benchmark specs need 4.9 arena bytes per source byte: statements dense with arguments need
  /// more than prose. A block's untouched tail costs address space, not memory.
  static std::size_t first_arena_block(std::size_t source_bytes) {
    constexpr std::size_t arena_bytes_per_source_byte = 6;
    constexpr std::size_t min_block = 4096;
    return std::max(min_block, source_bytes * arena_bytes_per_source_byte);
  }

  ast::Arena& arena() { return *out.arena; }

  /// The tree as one chunk of a file parsed in parts: this state's statements, whose nodes are
  /// all in its arena. Leaves `out` without an arena.
  ast::Chunk take_chunk() { return {0, top_stmts.size(), std::move(out.arena)}; }

  FileId file;
  std::string_view text;
  diag::DiagnosticEngine* diags;
  ast::File out;
  /// Set when the parse of one part of a file is to stop at its first syntax error, without
  /// reporting it (see parse.cpp). It stops, too, at its next statement once the flag it points
  /// to is set: the other part failed, and the file will be parsed whole.
  bool part_of_file = false;
  const std::atomic<bool>* other_part_failed = nullptr;

  // Statement and value construction.
  std::vector<Frame> frames;
  std::vector<ast::Value> values;
  std::vector<std::size_t> list_marks;
  std::vector<std::uint32_t> list_opens;
  std::vector<ast::TypeExpr> types;
  std::vector<std::size_t> type_marks;
  /// Every open statement, each followed by the statements of its block so far: a statement is
  /// built where it stays until its block closes. One shared stack instead of a vector per
  /// block: a closed block copies its statements into an array of exactly their number in the
  /// arena, so the tree keeps no growth slack and blocks do not reallocate as they fill.
  std::vector<ast::Stmt> stmts;
  /// The statements of the file so far; copied into the arena when the parse ends.
  std::vector<ast::Stmt> top_stmts;
  /// The arguments of every open statement, innermost last, for the same reason.
  std::vector<ast::Arg> args;
  std::optional<ast::Ident> pending_key;
  /// The parts of the string being read, until its closing quote (strings do not nest: a
  /// substitution is a name).
  std::vector<std::variant<std::string_view, ast::Substitution>> string_parts;
  std::uint32_t string_begin = 0;
  /// The literal text being read: a view of the source until an escape needs `decoded`.
  std::string_view literal;
  std::string decoded;
  bool literal_open = false;
  bool literal_decoded = false;
  std::vector<std::size_t> pending_doc;  ///< indices in `out.comments`
  int depth = 0;

  // Error bookkeeping.
  std::size_t syntax_errors = 0;
  std::vector<std::uint32_t> bad_bytes;  ///< sorted offsets already reported as bad encoding

  std::uint32_t offset(const char* p) const { return static_cast<std::uint32_t>(p - text.data()); }
  Span span(std::uint32_t begin, std::uint32_t end) const { return Span{file, begin, end}; }
  template <typename ActionInput>
  Span span_of(const ActionInput& in) const {
    return span(offset(in.begin()), offset(in.end()));
  }
  template <typename ActionInput>
  ast::Ident ident_of(const ActionInput& in) const {
    return ast::Ident{in.begin(), span_of(in)};
  }

  /// A failed top-level statement leaves partial state behind; the next one starts clean.
  void reset_statement() {
    frames.clear();
    stmts.clear();
    args.clear();
    values.clear();
    list_marks.clear();
    list_opens.clear();
    types.clear();
    type_marks.clear();
    pending_key.reset();
    depth = 0;
  }

  /// Doc comments are the `##` lines directly above `begin`: each alone on its line, with no
  /// blank line between them and the statement. They are consecutive in `out.comments`; the
  /// statement gets a copy of them in the arena (see ast::Stmt::doc).
  ast::Doc take_doc(std::uint32_t begin) {
    // Most statements have none: no call for them.
    if (pending_doc.empty()) return {};
    return take_pending_doc(begin);
  }
  ast::Doc take_pending_doc(std::uint32_t begin) {
    std::size_t first = pending_doc.size();
    std::uint32_t pos = begin;
    while (first > 0) {
      const ast::Comment& c = out.comments[pending_doc[first - 1]];
      if (c.span.end > pos || !only_one_line_end(c.span.end, pos)) break;
      std::uint32_t line_start = c.span.begin;
      while (line_start > 0 && is_blank(text[line_start - 1])) --line_start;
      if (line_start > 0 && text[line_start - 1] != '\n' && !after_bom(line_start)) {
        break;  // it trails another statement
      }
      --first;
      pos = line_start;
    }
    ast::Doc doc;
    if (first < pending_doc.size()) {
      const ast::Seq<ast::Comment> copy =
          arena().copy(std::span<const ast::Comment>(out.comments)
                           .subspan(pending_doc[first], pending_doc.size() - first));
      doc = ast::Doc(arena().make(copy));
    }
    pending_doc.clear();
    return doc;
  }

  static bool is_blank(char c) { return c == ' ' || c == '\t'; }
  bool after_bom(std::uint32_t pos) const {
    return pos == 3 && text.substr(0, 3) == "\xEF\xBB\xBF";
  }
  bool only_one_line_end(std::uint32_t from, std::uint32_t to) const {
    std::string_view gap = text.substr(from, to - from);
    if (gap.rfind("\r\n", 0) == 0) {
      gap.remove_prefix(2);
    } else if (!gap.empty() && gap.front() == '\n') {
      gap.remove_prefix(1);
    } else {
      return false;
    }
    for (char c : gap) {
      if (!is_blank(c)) return false;
    }
    return true;
  }

  /// Starts a statement of kind `Node` at its keyword `in`.
  template <typename Node, typename ActionInput>
  void begin_statement(const ActionInput& in) {
    Frame& f = frames.emplace_back();
    f.index = stmts.size();
    f.keyword = in.string_view();
    f.begin = offset(in.begin());
    f.args_mark = args.size();
    ast::Stmt& stmt = stmts.emplace_back();
    stmt.doc = take_doc(f.begin);
    Node& node = stmt.node.emplace<Node>();
    if constexpr (std::is_same_v<Node, ast::Setting>) node.keyword = ident_of(in);
  }

  /// The statement of the innermost frame.
  ast::Stmt& statement() { return stmts[frames.back().index]; }

  /// The innermost statement still missing pieces, or null at the top level.
  const Frame* open_frame() const {
    for (auto it = frames.rbegin(); it != frames.rend(); ++it) {
      if (!it->matched) return &*it;
    }
    return nullptr;
  }

  /// Whether the parse of this part is to stop, before the next statement.
  bool other_part_stopped() const {
    return other_part_failed && other_part_failed->load(std::memory_order_relaxed);
  }

  ast::Value pop_value() {
    ast::Value v = values.back();
    values.pop_back();
    return v;
  }

  /// The elements of `stack` from `mark` on, copied into the arena and popped.
  template <typename T>
  ast::Seq<T> take_from(std::vector<T>& stack, std::size_t mark) {
    const ast::Seq<T> taken = arena().copy(std::span<const T>(stack).subspan(mark));
    stack.resize(mark);
    return taken;
  }

  void add_comment(ast::Comment c) {
    // Lists rewind over a trailing comma, so the same comment can match twice.
    if (!out.comments.empty() && out.comments.back().span.begin >= c.span.begin) return;
    if (c.is_doc) pending_doc.push_back(out.comments.size());
    out.comments.push_back(c);
  }

  /// Literal text written as is in the source (no escapes).
  void add_source_literal(std::string_view piece) {
    if (!literal_open) {
      literal = piece;
      literal_open = true;
      return;
    }
    add_decoded_literal(piece);
  }
  /// Literal text that differs from the source (a decoded escape), or that joins other text.
  void add_decoded_literal(std::string_view piece) {
    if (!literal_decoded) {
      decoded.assign(literal_open ? literal : std::string_view());
      literal_open = literal_decoded = true;
    }
    decoded.append(piece);
  }
  /// Ends the literal text before a substitution or the closing quote.
  void end_literal() {
    if (!literal_open) return;
    if (literal_decoded) {
      literal = arena().copy(decoded);
      decoded.clear();
    }
    string_parts.emplace_back(literal);
    literal_open = literal_decoded = false;
  }

  /// Statement span: from its first token to its last, trailing blanks excluded.
  std::uint32_t trim_end(std::uint32_t begin, std::uint32_t end) const {
    while (end > begin && is_blank(text[end - 1])) --end;
    return end;
  }

  void enter_nesting(std::uint32_t at, std::uint32_t width);
  void leave_nesting() { --depth; }
};

template <typename Rule>
struct action : pegtl::nothing<Rule> {};

namespace g = grammar;

// ---- comments ---------------------------------------------------------------------------------
template <>
struct action<g::doc_comment> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, ParseState& s) {
    std::string_view t = in.string_view().substr(2);
    if (!t.empty() && t.front() == ' ') t.remove_prefix(1);
    s.add_comment(ast::Comment{s.span_of(in), true, t});
  }
};
template <>
struct action<g::line_comment> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, ParseState& s) {
    std::string_view t = in.string_view().substr(1);
    if (!t.empty() && t.front() == ' ') t.remove_prefix(1);
    s.add_comment(ast::Comment{s.span_of(in), false, t});
  }
};

// ---- strings ----------------------------------------------------------------------------------
template <>
struct action<g::string_open> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, ParseState& s) {
    s.string_parts.clear();
    s.literal_open = s.literal_decoded = false;
    s.string_begin = s.offset(in.begin());
  }
};
template <>
struct action<g::str_plain> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, ParseState& s) {
    s.add_source_literal(in.string_view());
  }
};
template <>
struct action<g::str_escape> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, ParseState& s) {
    switch (in.string_view()[1]) {
      case 'n':
        s.add_decoded_literal("\n");
        break;
      case 't':
        s.add_decoded_literal("\t");
        break;
      default:
        s.add_decoded_literal(in.string_view().substr(1, 1));
        break;
    }
  }
};
template <>
struct action<g::str_open_brace> {
  template <typename ActionInput>
  static void apply(const ActionInput& /*in*/, ParseState& s) {
    s.add_decoded_literal("{");
  }
};
template <>
struct action<g::str_close_brace> {
  template <typename ActionInput>
  static void apply(const ActionInput& /*in*/, ParseState& s) {
    s.add_decoded_literal("}");
  }
};
template <>
struct action<g::subst_name> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, ParseState& s) {
    s.end_literal();
    s.string_parts.emplace_back(ast::Substitution{s.ident_of(in)});
  }
};
template <>
struct action<g::string_lit> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, ParseState& s) {
    s.end_literal();
    const ast::String string{s.take_from(s.string_parts, 0), s.span_of(in)};
    s.values.push_back(ast::Value{string});
  }
};

// ---- values -----------------------------------------------------------------------------------
template <>
struct action<g::number> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, ParseState& s) {
    s.values.push_back(ast::Value{ast::Number{in.string_view(), s.span_of(in)}});
  }
};
template <>
struct action<g::value_ident> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, ParseState& s) {
    s.values.push_back(ast::Value{s.ident_of(in)});
  }
};
template <>
struct action<g::list_open> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, ParseState& s) {
    s.enter_nesting(s.offset(in.begin()), 1);
    s.list_marks.push_back(s.values.size());
    s.list_opens.push_back(s.offset(in.begin()));
  }
};
template <>
struct action<g::list_value> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, ParseState& s) {
    std::size_t mark = s.list_marks.back();
    s.list_marks.pop_back();
    s.list_opens.pop_back();
    const ast::List list{s.take_from(s.values, mark), s.span_of(in)};
    s.values.push_back(ast::Value{list});
    s.leave_nesting();
  }
};

// ---- types ------------------------------------------------------------------------------------
template <>
struct action<g::type_name> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, ParseState& s) {
    s.type_marks.push_back(s.types.size());
    s.types.push_back(ast::TypeExpr{s.ident_of(in), s.span_of(in), {}});
  }
};
template <>
struct action<g::enum_member> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, ParseState& s) {
    s.types.push_back(ast::TypeExpr{s.ident_of(in), s.span_of(in), {}});
  }
};
template <>
struct action<g::angle_open> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, ParseState& s) {
    s.enter_nesting(s.offset(in.begin()), 1);
  }
};
template <>
struct action<g::type_args_angle> {
  template <typename ActionInput>
  static void apply(const ActionInput& /*in*/, ParseState& s) {
    s.leave_nesting();
  }
};
template <>
struct action<g::type_expr> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, ParseState& s) {
    std::size_t mark = s.type_marks.back();
    s.type_marks.pop_back();
    const ast::Seq<ast::TypeExpr> args = s.take_from(s.types, mark + 1);
    ast::TypeExpr& t = s.types[mark];
    t.args = args;
    t.span = s.span_of(in);
  }
};
template <>
struct action<g::decl_type> {
  template <typename ActionInput>
  static void apply(const ActionInput& /*in*/, ParseState& s) {
    set_type(s.statement(), s.arena().make(s.types.back()));
    s.types.pop_back();
  }
};

// ---- statement heads --------------------------------------------------------------------------
template <>
struct action<g::kw_import> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, ParseState& s) {
    s.begin_statement<ast::Import>(in);
  }
};
template <>
struct action<g::kw_param> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, ParseState& s) {
    s.begin_statement<ast::Param>(in);
  }
};
template <>
struct action<g::kw_flag> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, ParseState& s) {
    s.begin_statement<ast::Flag>(in);
  }
};
template <>
struct action<g::kw_env> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, ParseState& s) {
    s.begin_statement<ast::EnvDecl>(in);
  }
};
template <>
struct action<g::kw_when> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, ParseState& s) {
    s.begin_statement<ast::When>(in);
  }
};
template <>
struct action<g::setting_keyword> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, ParseState& s) {
    s.begin_statement<ast::Setting>(in);
  }
};

// ---- statement parts --------------------------------------------------------------------------
template <>
struct action<g::import_path> {
  template <typename ActionInput>
  static void apply(const ActionInput& /*in*/, ParseState& s) {
    ast::Value v = s.pop_value();
    auto* import = std::get_if<ast::Import>(&s.statement().node);
    if (auto* str = std::get_if<ast::String>(&v.node); str && import) {
      import->path = *str;
    }
  }
};
template <>
struct action<g::decl_name> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, ParseState& s) {
    set_name(s.statement(), s.ident_of(in));
  }
};
template <>
struct action<g::when_flag> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, ParseState& s) {
    set_name(s.statement(), s.ident_of(in));
  }
};
template <>
struct action<g::when_not> {
  template <typename ActionInput>
  static void apply(const ActionInput& /*in*/, ParseState& s) {
    if (auto* when = std::get_if<ast::When>(&s.statement().node)) when->negated = true;
  }
};
template <>
struct action<g::default_value> {
  template <typename ActionInput>
  static void apply(const ActionInput& /*in*/, ParseState& s) {
    set_value(s.statement(), s.arena().make(s.pop_value()));
  }
};
template <>
struct action<g::assigned_value> {
  template <typename ActionInput>
  static void apply(const ActionInput& /*in*/, ParseState& s) {
    set_value(s.statement(), s.arena().make(s.pop_value()));
  }
};
template <>
struct action<g::arg_key> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, ParseState& s) {
    s.pending_key = s.ident_of(in);
  }
};
template <>
struct action<g::keyed_arg> {
  static void apply0(ParseState& s) {
    const ast::Optional<ast::Ident> key =
        s.pending_key ? s.arena().make(*s.pending_key) : ast::Optional<ast::Ident>();
    s.args.push_back(ast::Arg{key, s.pop_value()});
    s.pending_key.reset();
  }
};
template <>
struct action<g::positional_arg> {
  static void apply0(ParseState& s) { s.args.push_back(ast::Arg{std::nullopt, s.pop_value()}); }
};

// ---- blocks and statements --------------------------------------------------------------------
template <>
struct action<g::block_open> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, ParseState& s) {
    s.enter_nesting(s.offset(in.begin()), 1);
    s.frames.back().block_open = s.offset(in.begin());
  }
};
template <>
struct action<g::block> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, ParseState& s) {
    // The block's statements follow the statement it belongs to.
    const ast::Block body{s.take_from(s.stmts, s.frames.back().index + 1), s.span_of(in)};
    set_body(s.statement(), body, s.arena());
    s.leave_nesting();
  }
};
template <>
struct action<g::statement> {
  template <typename ActionInput>
  static void apply(const ActionInput& in, ParseState& s) {
    Frame& f = s.frames.back();
    ast::Stmt& stmt = s.stmts[f.index];
    stmt.span = s.span(f.begin, s.trim_end(f.begin, s.offset(in.end())));
    if (f.args_mark < s.args.size()) set_args(stmt, s.take_from(s.args, f.args_mark));
    f.matched = true;
  }
};
template <>
struct action<g::block_stmt> {
  template <typename ActionInput>
  static void apply(const ActionInput& /*in*/, ParseState& s) {
    s.frames.pop_back();  // its statement stays in place, in its block
  }
};
template <>
struct action<g::top_stmt> {
  template <typename ActionInput>
  static void apply(const ActionInput& /*in*/, ParseState& s) {
    s.top_stmts.push_back(s.statement());
    s.stmts.pop_back();
    s.frames.pop_back();
  }
};

}  // namespace deployc::syntax::detail
