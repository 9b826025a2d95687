// text → ast::File. The only part of the compiler that includes PEGTL.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "diag/engine.hpp"
#include "source/source_manager.hpp"
#include "syntax/ast.hpp"

namespace deployc::syntax {

struct ParseOptions {
  /// From this size on, a file is parsed in two parts on two threads; the tree and the
  /// diagnostics are those of a parse on one thread. Below it the second thread's start, its
  /// stack's page faults and the locks malloc takes once a thread exists cost about what the
  /// split saves: interleaved runs of the benchmark stacks were 5–10 % faster on one thread up
  /// to 200 services (375 KB) and even at 400 (750 KB); from 1000 (1.9 MB) the split pays.
  std::size_t min_parallel_bytes = std::size_t{1} << 20;
  /// Where the second part preferably starts, in bytes from the start of the file: the middle
  /// when unset. For tests, to try the split at every line.
  std::optional<std::size_t> split_near;
  /// When set, receives whether the tree was built from two parts, for tests.
  bool* parsed_in_two_parts = nullptr;
  /// Whether File::comments keeps every comment. Only the AST dump shows them: a compile reads
  /// the doc comments, which statements hold copies of (Stmt::doc), and a large spec's list
  /// (90,000 comments, 2.9 MB at N = 10000 services) stayed alive through the peak for nothing.
  bool keep_comments = true;
};

/// Parses one file. Syntax errors are reported to `diags` (several per run: the parser
/// recovers at the next top-level statement); the returned tree holds every statement that
/// parsed, so later stages can still check them.
ast::File parse(const SourceManager& sources, FileId file, diag::DiagnosticEngine& diags,
                const ParseOptions& options = {});

/// Deterministic text dump for tests and `deployc dump --stage ast`.
std::string dump(const ast::File& file, const SourceManager& sources);

}  // namespace deployc::syntax
