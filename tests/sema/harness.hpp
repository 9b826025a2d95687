// Runs parse + analyze on a spec text and renders the diagnostics compactly, so a test can
// assert the code, the line:column and the message of every diagnostic in one string.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "diag/engine.hpp"
#include "sema/sema.hpp"
#include "source/source_manager.hpp"

namespace deployc::testing {

struct Analysis {
  std::unique_ptr<SourceManager> sources;
  model::Deployment model;
  std::vector<diag::Diagnostic> diagnostics;  // sorted
  bool parse_errors = false;

  /// "D0201 3:5 unknown setting `x` in a service", one per line, in source order.
  std::string rendered() const;
  /// Same, with labels (`  label 4:3 first declared here`), notes and helps.
  std::string rendered_in_full() const;
  /// Index of the env var `name`, or -1.
  int env_index(const std::string& name) const;
  const model::EnvVar& var(const std::string& name) const;
  const model::Service& service(const std::string& name) const;
};

/// Analyses `text` as the root spec.
Analysis analyze_text(const std::string& text, const std::vector<sema::Define>& defines = {});

/// Analyses `body` followed by a `project` line, so snippets need not declare one and the
/// line numbers in them are the lines of `body`.
Analysis analyze_snippet(const std::string& body, const std::vector<sema::Define>& defines = {});

/// Comment lines of the model (a variable's doc, a group's heading), to compare with a vector.
std::vector<std::string_view> lines(model::Lines of);

/// A template as Compose would read it: `${NAME}` for variables.
std::string show(const model::Deployment& d, const model::Template& t);

std::string read_example();

}  // namespace deployc::testing
