// Module loading: the root spec and, transitively, every module it imports, read and parsed
// once each, handed to sema in dependency order. Private to the driver.
//
//   import "std/NAME"   the standard library module NAME (embedded; `--stdlib DIR` reads
//                       DIR/NAME.deploy instead)
//   import "./x"        x.deploy next to the importing file (`.deploy` is appended when missing);
//   import "lib/y"      any relative path works the same way
//
// A module is identified by its canonical path (symlinks resolved), so two spellings of one file
// are one module. Imports may not leave the project folder (the root spec's folder), neither by
// `..` nor through a symlink; cycles, missing files, nesting deeper than kMaxImportDepth and
// more than kMaxModules modules are errors at the import that causes them (D072x).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "diag/engine.hpp"
#include "source/source_manager.hpp"
#include "syntax/ast.hpp"

namespace deployc::driver {

inline constexpr std::size_t kMaxImportDepth = 64;
inline constexpr std::size_t kMaxModules = 1000;
/// A hand-written spec is a page or two of text, a generated one of ten thousand services about
/// 20 MB; anything over 64 MiB is a mistake (a binary, a log file), and refusing it early keeps
/// 32-bit spans and the memory use of one compilation bounded.
inline constexpr std::uintmax_t kMaxSpecBytes = 64u << 20;

struct ModuleOptions {
  std::optional<std::string> stdlib_dir;  ///< read stdlib modules from here, not the binary
  bool keep_comments = true;              ///< syntax::ParseOptions::keep_comments
};

struct Program {
  std::vector<ast::File> files;  ///< dependency order (a module before its importers), root last
  /// Every module read from disk, named as diagnostics name it, in the order first imported.
  /// The root spec is not listed (it may not be a file); embedded stdlib modules are not files.
  std::vector<std::string> inputs;
};

/// Parses `root` (already registered in `sources`; its name is its path) and every module it
/// imports. Syntax and import errors go to `diags`; the program holds every file that parsed.
Program load_program(SourceManager& sources, FileId root, const ModuleOptions& options,
                     diag::DiagnosticEngine& diags);

/// Why a file could not be read.
struct ReadError {
  bool too_large = false;  ///< over kMaxSpecBytes; otherwise `message` is the OS's words
  std::string message;
};

/// The bytes of a spec or module file: mapped from kMapFromBytes on (see map_file), else read.
std::variant<SourceText, ReadError> read_source_file(const std::string& path);

}  // namespace deployc::driver
