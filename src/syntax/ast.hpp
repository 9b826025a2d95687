// The syntax tree of one .deploy file. It knows the shape of the language, not its meaning:
// which settings a service accepts, and what their values must be, is decided in sema/.
//
// Every node carries a byte-offset Span. Comments are kept (File::comments), and `##` doc
// comments are attached to the statement they precede (Stmt::doc views them in File::comments).
//
// Token texts (identifiers, numbers, comments, string literals) are views into the
// SourceManager's copy of the file, which outlives every tree built from it. The one exception
// is string text with escapes, whose decoded form the File owns (File::decoded_text).
//
// The tree is mostly vectors of statements, so the node sizes are kept small: parts that are
// rare or large are stored behind an OptionalBox, which allocates only when the part is present.
#pragma once

#include <forward_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "source/span.hpp"

namespace deployc::ast {

/// An optional part of a node, stored in its own allocation made only when the part is present:
/// the node holds one pointer instead of the part's full size. Reads like std::optional.
template <typename T>
class OptionalBox {
 public:
  OptionalBox() = default;
  OptionalBox(T value) : ptr_(std::make_unique<T>(std::move(value))) {}  // NOLINT: like optional
  OptionalBox(const OptionalBox& other) : ptr_(other ? std::make_unique<T>(*other) : nullptr) {}
  OptionalBox(OptionalBox&&) noexcept = default;
  OptionalBox& operator=(const OptionalBox& other) {
    if (this != &other) ptr_ = other ? std::make_unique<T>(*other) : nullptr;
    return *this;
  }
  OptionalBox& operator=(OptionalBox&&) noexcept = default;
  ~OptionalBox() = default;

  bool has_value() const { return ptr_ != nullptr; }
  explicit operator bool() const { return has_value(); }
  const T& operator*() const { return *ptr_; }
  T& operator*() { return *ptr_; }
  const T* operator->() const { return ptr_.get(); }
  T* operator->() { return ptr_.get(); }
  void reset() { ptr_.reset(); }

 private:
  std::unique_ptr<T> ptr_;
};

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
/// Literal text is a view: into the source when written without escapes (almost always), else
/// into File::decoded_text.
struct String {
  std::vector<std::variant<std::string_view, Substitution>> parts;
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
  OptionalBox<Value> default_value;
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
  OptionalBox<Value> default_value;
  std::vector<Arg>
      args;  ///< modifiers after the type or default: `secret`, `optional`, `example="…"`
  OptionalBox<Block> body;
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
  OptionalBox<Value> assigned;  ///< `KEY = value`
  std::vector<Arg> args;
  OptionalBox<Block> body;
};

struct Comment {
  Span span;              ///< the whole comment, from `#` to the end of the line
  std::string_view text;  ///< without the leading `#` / `##` and one following space
  bool is_doc = false;    ///< `##`
};

struct Stmt {
  std::variant<Import, Param, Flag, EnvDecl, When, Setting> node;
  std::span<const Comment> doc;  ///< `##` lines directly above the statement, in File::comments
  Span span;
};

/// Move-only: statements view its comments and its decoded text, which a copy would not carry.
struct File {
  File() = default;
  File(File&&) noexcept = default;
  File& operator=(File&&) noexcept = default;
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  ~File() = default;

  FileId file;
  std::vector<Stmt> stmts;
  std::vector<Comment> comments;  ///< every comment, doc comments included, in source order
  /// The decoded text of string literals with escapes. A node-based list: moving the File keeps
  /// every string where it is, so the views in String::parts stay valid.
  std::forward_list<std::string> decoded_text;
};

}  // namespace deployc::ast
