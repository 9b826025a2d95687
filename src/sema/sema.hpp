// ast → model: names, types, flags and every check a Compose loader would make late or never.
#pragma once

#include <string>
#include <vector>

#include "diag/engine.hpp"
#include "sema/model.hpp"
#include "source/source_manager.hpp"
#include "syntax/ast.hpp"

namespace deployc::sema {

/// `-D name=value` from the command line, as written.
struct Define {
  std::string name;
  std::string value;
};

struct Options {
  std::vector<Define> defines;
  /// From this many services on, the second half of them is checked on a second thread when
  /// the result is the same by construction (every service named, no name twice, no `env`
  /// inside a service): checking a service costs about 35 k instructions, the same order as
  /// lowering and writing it (lower::Options::parallel_services). The model and the
  /// diagnostics are the same either way; tests set it to 1 or SIZE_MAX to compare the paths.
  std::size_t parallel_services = 512;
  /// When set, receives whether the services were checked in two halves, for tests.
  bool* services_in_two_halves = nullptr;
};

/// Checks a program: `files` are parsed modules in dependency order, the root spec last.
/// Always returns a model; it is complete and valid only when no error was reported.
model::Deployment analyze(const std::vector<ast::File>& files, const SourceManager& sources,
                          const Options& options, diag::DiagnosticEngine& diags);
/// The same model and diagnostics, from trees the caller gives up: the root spec's tree is
/// freed a chunk at a time as the analysis finishes with it (ast::File::release), which lowers
/// a large spec's peak memory. `files` are left valid, with what was not freed.
model::Deployment analyze(std::vector<ast::File>&& files, const SourceManager& sources,
                          const Options& options, diag::DiagnosticEngine& diags);

/// Deterministic text dump for tests and `deployc dump --stage model`.
std::string dump(const model::Deployment& deployment);

}  // namespace deployc::sema
