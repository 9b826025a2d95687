// Compiles a spec together with the modules of stdlib/, read from the source tree, the way the
// driver passes imported modules to sema::analyze (dependencies first, the root spec last).
// Shared by tests/presets and tests/features.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "diag/engine.hpp"
#include "sema/sema.hpp"
#include "source/source_manager.hpp"

namespace deployc::testing {

/// Every module of stdlib/, in an order where each comes after the modules it imports.
const std::vector<std::string>& stdlib_modules();
std::string read_text(const std::string& path);
void write_text(const std::string& path, const std::string& text);

struct Compiled {
  std::unique_ptr<SourceManager> sources;
  model::Deployment model;
  std::vector<diag::Diagnostic> diagnostics;
  std::string compose, env, build;  ///< emitted outputs, empty when there were errors
  bool ok = false;
  /// "D0201 stdlib/x.deploy:3:5 message", one per line, labels and helps indented below.
  /// Errors only: the production warnings (no limits, no health check, …) are checked by
  /// their own tests, and these cases exercise one feature at a time.
  std::string rendered() const;
  /// Errors and warnings.
  std::string rendered_all() const;

 private:
  std::string render(bool warnings) const;
};

/// Compiles `root` (named `root_name`) with the given stdlib modules (names like "logging").
/// `spec_name` is the spec as the output headers name it.
Compiled compile_with_modules(const std::string& root_name, const std::string& root,
                              const std::vector<std::string>& modules = stdlib_modules(),
                              const std::vector<sema::Define>& defines = {},
                              const std::string& spec_name = "app.deploy");

/// Compiles `files` (name, text), modules first, the root spec last.
Compiled compile_sources(const std::vector<std::pair<std::string, std::string>>& files,
                         const std::vector<sema::Define>& defines = {},
                         const std::string& spec_name = "app.deploy");

/// Compares `actual` with the golden file at `path` (relative to the source tree); with
/// DEPLOYC_BLESS=1 in the environment, rewrites the file instead. Returns "" when equal.
std::string compare_golden(const std::string& path, const std::string& actual);

}  // namespace deployc::testing
