// text → ast::File. The only part of the compiler that includes PEGTL.
#pragma once

#include "diag/engine.hpp"
#include "source/source_manager.hpp"
#include "syntax/ast.hpp"

namespace deployc::syntax {

/// Parses one file. Syntax errors are reported to `diags` (several per run: the parser
/// recovers at the next top-level statement); the returned tree holds every statement that
/// parsed, so later stages can still check them.
ast::File parse(const SourceManager& sources, FileId file, diag::DiagnosticEngine& diags);

/// Deterministic text dump for tests and `deployc dump --stage ast`.
std::string dump(const ast::File& file, const SourceManager& sources);

}  // namespace deployc::syntax
