// The syntax tree of one .deploy file. It knows the shape of the language, not its meaning:
// which settings a service accepts, and what their values must be, is decided in sema/.
//
// Every node carries a byte-offset Span. Comments are kept on request (File::comments), and `##`
// doc comments are attached to the statement they precede (Stmt::doc, a copy in the arena).
//
// Ownership: the nodes of a File live in its Arena (a large file's in the arenas of its chunks,
// runs of top-level statements: see Chunk), bump-allocated regions of a few large blocks, instead
// of a heap allocation per sequence and per optional part. A large spec has hundreds of thousands
// of those, and allocating and freeing them one by one cost more than building the tree. Every
// sequence (statements, arguments, list items, type arguments, string parts) is an exact-size array
// in the arena, viewed through a Seq; every optional part is an Optional pointing to a node in the
// arena, or null. Nodes own nothing, so they are trivially destructible and copyable: freeing the
// tree is releasing the arenas' blocks, and a copy of a node is a shallow view of the same tree.
// The File owns its arena through a pointer, so moving a File never moves a node.
//
// Texts are views too: identifiers, numbers, comments and string literals point into the
// SourceManager's copy of the file, which outlives every tree built from it (an identifier keeps
// only where it starts: its span gives its length); string text with escapes points to its
// decoded copy in the arena.
//
// Every view (Seq, Optional, text, Stmt::doc) is valid as long as the File that holds the tree,
// and, in a file with chunks, until File::release frees the chunk it is in.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <memory_resource>
#include <new>
#include <optional>
#include <span>
#include <stdexcept>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "source/span.hpp"

namespace deployc::ast {

/// A node's sequence of children: an exact-size array in the tree's arena. Not a std::span
/// because three sequences are recursive (a List holds Values, a TypeExpr TypeExprs, a Block
/// Stmts), and std::span may not name an element type that is still incomplete. A contiguous
/// range, so it converts to std::span, which is what functions reading a sequence take.
template <typename T>
class Seq {
 public:
  Seq() = default;
  Seq(const T* data, std::size_t size) : data_(data), size_(size) {}

  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const T& operator[](std::size_t i) const { return data_[i]; }
  const T& at(std::size_t i) const {
    if (i >= size_) throw std::out_of_range("ast::Seq::at");
    return data_[i];
  }
  const T& front() const { return data_[0]; }
  const T& back() const { return data_[size_ - 1]; }

 private:
  const T* data_ = nullptr;
  std::size_t size_ = 0;
};

/// An optional part of a node: null, or the part in the tree's arena. The node holds one pointer
/// instead of the part's full size, and nothing is allocated when the part is absent. Reads
/// like std::optional: test it, then dereference it.
template <typename T>
class Optional {
 public:
  Optional() = default;
  Optional(std::nullopt_t) {}               // NOLINT: like std::optional
  Optional(const T* part) : part_(part) {}  // NOLINT: the arena hands out pointers

  bool has_value() const { return part_ != nullptr; }
  explicit operator bool() const { return has_value(); }
  const T& operator*() const { return *part_; }
  const T* operator->() const { return part_; }

 private:
  const T* part_ = nullptr;
};

/// The memory of one tree. Its blocks come from a std::pmr::monotonic_buffer_resource: the
/// standard bump allocator (allocation is a pointer increment, freeing is releasing whole
/// blocks), so nothing here needs testing of its own. The arena bumps a pointer in its current
/// block itself, inline: the resource's allocation is a virtual call, and a tree has one node
/// for every few bytes of source. Only trivially destructible values go in, as nothing runs
/// their destructors.
class Arena {
 public:
  /// `first_block_bytes`: sized from the source text by the parser, so a large spec fills a
  /// few large blocks and a small one reserves little. The first block is taken at once, from
  /// the malloc arena of the thread that creates the Arena: the part of a large file parsed on
  /// a second thread lives in the workers' arena, which the command line prepares with huge
  /// pages like the main heap (driver/heap.cpp), and which the back end's workers reuse once
  /// the tree is freed.
  explicit Arena(std::size_t first_block_bytes) : memory_(first_block_bytes) {
    take_block(first_block_bytes);
  }

  /// A copy of `items` in the arena.
  template <typename T>
  Seq<T> copy(std::span<const T> items) {
    static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T> &&
                  alignof(T) <= alignof(std::max_align_t));
    if (items.empty()) return {};
    T* out = static_cast<T*>(allocate(items.size_bytes(), alignof(T)));
    // Nodes have default member initialisers, so std::uninitialized_copy would copy them one by
    // one; they are trivially copyable, so their bytes are the copy.
    std::memcpy(static_cast<void*>(out), items.data(), items.size_bytes());
    return {out, items.size()};
  }
  /// A copy of `part` in the arena.
  template <typename T>
  const T* make(const T& part) {
    static_assert(std::is_trivially_destructible_v<T> && alignof(T) <= alignof(std::max_align_t));
    return new (allocate(sizeof(T), alignof(T))) T(part);
  }
  /// A copy of `text` in the arena.
  std::string_view copy(std::string_view text) {
    if (text.empty()) return {};
    char* out = static_cast<char*>(allocate(text.size(), 1));
    std::memcpy(out, text.data(), text.size());
    return {out, text.size()};
  }

 private:
  void* allocate(std::size_t bytes, std::size_t align) {
    const std::size_t pad = -reinterpret_cast<std::uintptr_t>(next_) & (align - 1);
    if (pad + bytes > static_cast<std::size_t>(end_ - next_)) return allocate_in_new_block(bytes);
    void* out = next_ + pad;
    next_ += pad + bytes;
    return out;
  }
  /// A block twice the size of the last one, or enough for `bytes`. Never less than the
  /// resource's own next block (it grows by at most twice), so that it gives exactly this block
  /// and keeps no part of one that the arena would never use. Blocks are aligned for any node.
  /// Out of line, so that the compiler inlines allocate() whole.
  [[gnu::noinline]] void* allocate_in_new_block(std::size_t bytes) {
    take_block(std::max(bytes, 2 * block_bytes_));
    void* out = next_;
    next_ += bytes;
    return out;
  }
  void take_block(std::size_t bytes) {
    next_ = static_cast<char*>(memory_.allocate(bytes, alignof(std::max_align_t)));
    end_ = next_ + bytes;
    block_bytes_ = bytes;
  }

  std::pmr::monotonic_buffer_resource memory_;
  char* next_ = nullptr;  ///< the free part of the current block: [next_, end_)
  char* end_ = nullptr;
  std::size_t block_bytes_ = 0;
};

struct Ident {
  const char* start = nullptr;  ///< into the source text, where `span` begins
  Span span;

  /// The name as written: a view of the source. Not stored as a view: its length is the span's.
  std::string_view text() const { return {start, span.end - span.begin}; }
};

/// `{name}` inside a string: compile-time substitution of a param.
struct Substitution {
  Ident name;
};

/// A string literal, split into decoded literal text and substitutions.
/// "a{x}b" → parts {"a", Substitution{x}, "b"}; escapes (`\n`, `{{`) are already decoded.
/// Literal text is a view: into the source when written without escapes (almost always), else
/// into the arena.
struct String {
  Seq<std::variant<std::string_view, Substitution>> parts;
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
  Seq<Value> items;
  Span span;
};

/// A bare identifier in value position names something (an env var, an enum member, `true`).
struct Value {
  std::variant<String, Number, Ident, List> node;

  /// Where the value is written: its node's span (a string's and a list's include their
  /// delimiters). Not stored: every node has its own, and values are a quarter of a tree.
  Span span() const {
    return std::visit([](const auto& n) { return n.span; }, node);
  }
};

/// A type expression: `string`, `url<postgresql+asyncpg, postgresql>`, `list<host>`,
/// `enum(debug|info)`. Type arguments that are not types (url schemes, enum members) are
/// TypeExprs without arguments.
struct TypeExpr {
  /// The span goes in the name's tail padding: 48 bytes, not 56.
  [[no_unique_address]] Ident name;
  Span span;
  Seq<TypeExpr> args;
};

/// One argument of a setting: positional (`tunable`, `"/health"`) or keyed (`cpu=1.0`).
struct Arg {
  Optional<Ident> key;
  Value value;

  /// From the key, when there is one, to the end of the value (`key=` is written without blanks).
  Span span() const { return key ? key->span.to(value.span()) : value.span(); }
};

struct Stmt;

/// `{ … }`: a sequence of statements.
struct Block {
  Seq<Stmt> stmts;
  Span span;
};

/// `import "std/logging"`
struct Import {
  String path;
};

/// `param project_slug: string = "acme_shop"`
struct Param {
  Ident name;
  const TypeExpr* type = nullptr;  ///< in the arena (see EnvDecl::type)
  Optional<Value> default_value;
};

/// `flag include_sentry = false`
struct Flag {
  Ident name;
  Optional<Value> default_value;
};

/// `env DATABASE_URL: url<postgresql+asyncpg> secret { example "…" }`
/// `env LOG_LEVEL: enum(debug|info) = info`
struct EnvDecl {
  Ident name;
  /// In the arena, which keeps the Stmt variant small: inline, a TypeExpr would make every
  /// statement 48 bytes larger. Never null in a parsed tree (the type is not optional, and a
  /// statement that fails to parse is dropped whole).
  const TypeExpr* type = nullptr;
  Optional<Value> default_value;
  Seq<Arg> args;  ///< modifiers after the type or default: `secret`, `optional`, `example="…"`
  Optional<Block> body;
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
  Optional<Value> assigned;  ///< `KEY = value`
  Seq<Arg> args;
  Optional<Block> body;
};

struct Comment {
  Span span;              ///< the whole comment, from `#` to the end of the line
  bool is_doc = false;    ///< `##`
  std::string_view text;  ///< without the leading `#` / `##` and one following space
};

/// The `##` lines directly above a statement: none, or a sequence in the arena. One pointer
/// rather than a Seq: most statements have none, and statements are the tree's largest part.
/// Reads like a Seq, so that a statement without doc comments reads as one with none.
class Doc {
 public:
  Doc() = default;
  explicit Doc(Optional<Seq<Comment>> lines) : lines_(lines) {}

  const Comment* begin() const { return lines_ ? lines_->begin() : nullptr; }
  const Comment* end() const { return lines_ ? lines_->end() : nullptr; }
  std::size_t size() const { return lines_ ? lines_->size() : 0; }
  bool empty() const { return size() == 0; }
  const Comment& operator[](std::size_t i) const { return (*lines_)[i]; }

 private:
  Optional<Seq<Comment>> lines_;
};

struct Stmt {
  /// The span goes in the variant's tail padding (after its index byte): 88 bytes, not 96.
  [[no_unique_address]] std::variant<Import, Param, Flag, EnvDecl, When, Setting> node;
  Span span;
  /// Copies in the arena, not views of File::comments, so that the part of a file parsed on
  /// another thread can append its comments to the File's without moving what its statements
  /// view.
  Doc doc;
};

// Nothing runs a node's destructor: the arena releases its memory whole.
static_assert(std::is_trivially_destructible_v<Stmt>);
static_assert(std::is_trivially_destructible_v<Value>);
static_assert(std::is_trivially_destructible_v<Arg>);
static_assert(std::is_trivially_destructible_v<TypeExpr>);
static_assert(std::is_trivially_destructible_v<Block>);
static_assert(std::is_trivially_destructible_v<Comment>);
// A large spec's tree is most of the compiler's peak memory: node sizes are kept in check. The
// spans share the padding of the part before them (see Stmt, TypeExpr), and spans that follow
// from others are computed, not stored (Value, Arg).
static_assert(sizeof(Stmt) <= 88 && sizeof(Arg) <= 48 && sizeof(Value) <= 40);
static_assert(sizeof(TypeExpr) <= 48 && sizeof(Ident) <= 24 && sizeof(Comment) <= 32);

/// A run of a file's top-level statements whose nodes, everything below the statements
/// themselves, live in an arena of their own: the part of a large file parsed on its own (see
/// syntax::parse). The tree can then be freed a chunk at a time, as the analysis finishes with
/// it (File::release), instead of whole at its end.
struct Chunk {
  std::size_t first = 0;  ///< index in File::stmts of the chunk's first statement
  std::size_t count = 0;
  std::unique_ptr<Arena> arena;  ///< null once the chunk is released
};

/// The statement `stmt`, keeping only what needs no arena: its kind, span, keyword or name
/// (views of the source), and a `when`'s flag. Everything else reads as absent or empty.
inline Stmt head_only(const Stmt& stmt) {
  Stmt out;
  out.span = stmt.span;
  std::visit(
      [&](const auto& node) {
        using Node = std::decay_t<decltype(node)>;
        Node& kept = out.node.template emplace<Node>();
        if constexpr (std::is_same_v<Node, Import>) kept.path.span = node.path.span;
        if constexpr (std::is_same_v<Node, Setting>) kept.keyword = node.keyword;
        if constexpr (std::is_same_v<Node, When>) {
          kept.negated = node.negated;
          kept.flag = node.flag;
          kept.body.span = node.body.span;
        }
        if constexpr (requires { node.name; }) kept.name = node.name;
      },
      stmt.node);
  return out;
}

/// Move-only, through its arena's pointer: its statements view the arena, which a copy would not
/// carry.
struct File {
  FileId file;
  /// Where the tree's nodes live (null for an empty File), or, when the file has chunks, only its
  /// array of top-level statements; behind a pointer so that moving the File moves no node.
  std::unique_ptr<Arena> arena;
  Seq<Stmt> stmts;
  /// Every comment, doc comments included, in source order; empty unless the parse was asked to
  /// keep them (ParseOptions::keep_comments).
  std::vector<Comment> comments;
  /// In order, covering every statement, when the file was parsed in parts (a large file: see
  /// syntax::ParseOptions::min_parallel_bytes); empty otherwise, and then `arena` holds every
  /// node.
  std::vector<Chunk> chunks;

  /// Frees each chunk whose every statement `done(const Stmt&)` says no reader needs again, and
  /// returns how many it freed. The statements stay in `stmts`, in place, reduced to what needs
  /// no arena (head_only), so that a walk over the top level still sees them but can reach
  /// nothing freed.
  template <typename Done>
  std::size_t release(Done&& done) {
    std::size_t released = 0;
    for (Chunk& chunk : chunks) {
      if (!chunk.arena) continue;
      const auto begin = stmts.begin() + chunk.first;
      if (!std::all_of(begin, begin + chunk.count, done)) continue;
      // The statements' array is the File's own, in its arena: only its views are const.
      Stmt* const own = const_cast<Stmt*>(begin);
      for (std::size_t i = 0; i < chunk.count; ++i) own[i] = head_only(own[i]);
      chunk.arena.reset();
      ++released;
    }
    return released;
  }
};
static_assert(!std::is_copy_constructible_v<File> && std::is_nothrow_move_constructible_v<File>);

}  // namespace deployc::ast
