// The whole pipeline as one function: spec → parse → analyze → lower → emit. The CLI and the
// public library API are thin wrappers around it. No printing, no exit(), no global state.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "diag/engine.hpp"
#include "sema/sema.hpp"
#include "source/source_manager.hpp"

namespace deployc::driver {

struct CompileOptions {
  std::vector<sema::Define> defines;
  diag::WarningPolicy warnings;
  /// The spec's path as the output header names it (relative to the output directory).
  std::string spec_name_in_header;
};

/// The bytes of every output file, present only when compilation had no errors.
struct CompiledFiles {
  std::string compose;                ///< compose.production.yml
  std::string env_example;            ///< .env.production.example
  std::optional<std::string> build;   ///< compose.build.yml
};

struct CompileResult {
  SourceManager sources;  ///< every file read, so diagnostics can be rendered
  std::vector<diag::Diagnostic> diagnostics;  ///< sorted
  std::size_t error_count = 0;
  std::optional<CompiledFiles> files;
  bool ok() const { return error_count == 0 && files.has_value(); }
};

/// Compiles `text` as if read from the file `name`.
CompileResult compile_text(std::string name, std::string text, const CompileOptions& options);
/// Reads and compiles the file at `path`; an unreadable file is a diagnostic (D09xx).
CompileResult compile_file(const std::string& path, const CompileOptions& options);

}  // namespace deployc::driver
