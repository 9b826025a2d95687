// The syntax tree of one .deploy file. It knows the shape of the language, not its meaning:
// which settings a service accepts, and what their values must be, is decided in sema/.
//
// Every node carries a byte-offset Span. Comments are kept (File::comments), and `##` doc
// comments are attached to the statement they precede (Stmt::doc).
//
// Token texts (identifiers, numbers, comments) are views into the SourceManager's copy of the
// file, which outlives every tree built from it: the tree owns no token text of its own.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "source/span.hpp"

namespace deployc::ast {

struct Ident {
  std::string_view text;  ///< into the source text
  Span span;
};

/// `{name}` inside a string: compile-time substitution of a param.
struct Substitution {
  Ident name;
};

/// A string literal, split into decoded literal text and substitutions.
/// "a{x}b" → parts {"a", Substitution{x}, "b"}; escapes (`\n`, `{{`) are already decoded.
struct String {
  std::vector<std::variant<std::string, Substitution>> parts;
  Span span;
};

/// Digits with an optional fraction and unit suffixes, kept as written: `8000`, `1.0`, `512M`,
/// `30s`, `1m30s`, `10m`. Whether it is an int, a cpu, a memory size or a duration depends on
/// where it is used, so the checker interprets it.
struct Number {
  std::string_view text;  ///< into the source text
  Span span;
};

struct Value;

/// `[a, b, c]` — may span lines.
struct List {
  std::vector<Value> items;
  Span span;
};

/// A bare identifier in value position names something (an env var, an enum member, `true`).
struct Value {
  std::variant<String, Number, Ident, List> node;
  Span span;
};

/// A type expression: `string`, `url<postgresql+asyncpg, postgresql>`, `list<host>`,
/// `enum(debug|info)`. Type arguments that are not types (url schemes, enum members) are
/// TypeExprs without arguments.
struct TypeExpr {
  Ident name;
  std::vector<TypeExpr> args;
  Span span;
};

/// One argument of a setting: positional (`tunable`, `"/health"`) or keyed (`cpu=1.0`).
struct Arg {
  std::optional<Ident> key;
  Value value;
  Span span;
};

struct Stmt;

/// `{ … }`: a sequence of statements.
struct Block {
  std::vector<Stmt> stmts;
  Span span;
};

/// `import "std/logging"`
struct Import {
  String path;
};

/// `param project_slug: string = "acme_shop"`
struct Param {
  Ident name;
  TypeExpr type;
  std::optional<Value> default_value;
};

/// `flag include_sentry = false`
struct Flag {
  Ident name;
  std::optional<Value> default_value;
};

/// `env DATABASE_URL: url<postgresql+asyncpg> secret { example "…" }`
/// `env LOG_LEVEL: enum(debug|info) = info`
struct EnvDecl {
  Ident name;
  TypeExpr type;
  std::optional<Value> default_value;
  std::vector<Arg>
      args;  ///< modifiers after the type or default: `secret`, `optional`, `example="…"`
  std::optional<Block> body;
};

/// `when include_sentry { … }`, `when !include_sentry { … }`
struct When {
  bool negated = false;
  Ident flag;
  Block body;
};

/// Every other statement: a keyword, then either `= value` or arguments, then an optional block.
///   service backend { … }
///   limits cpu=1.0 memory=512M tunable
///   ENV = "production"
///   LOG_LEVEL
struct Setting {
  Ident keyword;
  std::optional<Value> assigned;  ///< `KEY = value`
  std::vector<Arg> args;
  std::optional<Block> body;
};

struct Comment {
  Span span;              ///< the whole comment, from `#` to the end of the line
  std::string_view text;  ///< without the leading `#` / `##` and one following space
  bool is_doc = false;    ///< `##`
};

struct Stmt {
  std::variant<Import, Param, Flag, EnvDecl, When, Setting> node;
  std::vector<Comment> doc;  ///< `##` lines directly above the statement
  Span span;
};

struct File {
  FileId file;
  std::vector<Stmt> stmts;
  std::vector<Comment> comments;  ///< every comment, doc comments included, in source order
};

}  // namespace deployc::ast
