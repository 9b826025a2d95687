// The whole pipeline as one function: spec → parse → analyze → lower → emit. The CLI and the
// public library API are thin wrappers around it. No printing, no exit(), no global state.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "diag/engine.hpp"
#include "lower/document.hpp"
#include "sema/sema.hpp"
#include "source/source_manager.hpp"

namespace deployc::driver {

/// A pipeline stage whose value `deployc dump` prints.
enum class Stage { Ast, Model, Doc };

struct CompileOptions {
  std::vector<sema::Define> defines;
  diag::WarningPolicy warnings;
  /// The spec's path as the output header names it (relative to the output directory).
  std::string spec_name_in_header;
  /// Read `std/` modules from this folder instead of the ones built into the binary.
  std::optional<std::string> stdlib_dir;
  /// Also generate DEPLOYMENT.md (CompiledFiles::docs).
  bool docs = false;
  /// Stop after this stage and return its dump (CompileResult::dump) instead of output files.
  std::optional<Stage> dump;
};

/// The bytes of every output file, present only when compilation had no errors.
struct CompiledFiles {
  std::string compose;               ///< compose.production.yml
  std::string env_example;           ///< .env.production.example
  std::optional<std::string> build;  ///< compose.build.yml
  std::optional<std::string> docs;   ///< DEPLOYMENT.md, when CompileOptions::docs
};

struct CompileResult {
  SourceManager sources;                      ///< every file read, so diagnostics can be rendered
  std::vector<diag::Diagnostic> diagnostics;  ///< sorted
  std::size_t error_count = 0;
  std::optional<CompiledFiles> files;
  /// Every `.deploy` file read from disk, as diagnostics name it: the spec, then each imported
  /// module in the order first imported (embedded stdlib modules are not files).
  std::vector<std::string> inputs;
  /// The checked model, present when analysis reported no error.
  std::optional<model::Deployment> deployment;
  /// The text of CompileOptions::dump's stage, present when it was reached without errors.
  std::optional<std::string> dump;
  /// The documents `files` were written from (they view `deployment`). Kept rather than freed
  /// in the pipeline, so that a process about to exit can leave them to the operating system:
  /// freed node by node, those of 1000 services cost 3.9 M instructions.
  std::optional<lower::Outputs> documents;
  bool ok() const { return error_count == 0 && files.has_value(); }
};

/// Compiles `text` as if read from the file `name`.
CompileResult compile_text(std::string name, std::string text, const CompileOptions& options);
/// Reads and compiles the file at `path`; an unreadable file is a diagnostic (D09xx).
CompileResult compile_file(const std::string& path, const CompileOptions& options);

}  // namespace deployc::driver
