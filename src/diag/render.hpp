// Diagnostics → text for people (rustc style) or for tools (JSON, SARIF 2.1.0). Pure functions
// returning strings: the caller decides where they go. Output is deterministic.
//
// Positions: `line` is 1-based. Text and JSON columns are 1-based *byte* columns, as
// SourceManager::line_col computes them; SARIF columns are Unicode code points (SARIF has no byte
// columns; the log declares "columnKind": "unicodeCodePoints"). An end position is exclusive:
// the column just past the span's last character.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "diag/diagnostic.hpp"
#include "source/source_manager.hpp"

namespace deployc::diag {

struct TextOptions {
  bool color = false;           ///< ANSI colours; the caller decides (TTY, NO_COLOR)
  std::size_t max_errors = 20;  ///< stop printing after this many errors; 0 = no limit
};

/// One diagnostic, followed by a blank line:
///
///     error[D0203]: unknown variable `DATABSE_URL`
///      --> examples/x.deploy:7:5
///       |
///     7 |     DATABSE_URL
///       |     ^^^^^^^^^^^ not declared
///       |
///       = help: did you mean `DATABASE_URL`?
///
/// The primary label is underlined with `^`, secondary ones with `-`, each under its own copy of
/// the source line; labels in another file get their own `:::` block. Tabs are shown as four
/// spaces (carets stay aligned); a span that crosses lines is underlined to the end of its
/// first line. A diagnostic without a location prints as `deployc: error[D0901]: …`.
std::string render_diagnostic(const Diagnostic& diagnostic, const SourceManager& sources,
                              bool color = false);

/// Every diagnostic in order, then, if the error limit cut the list, one line saying how many
/// were not shown, then the summary line (`deployc: 2 errors, 1 warning`) when any diagnostic
/// has a source location. Empty when `diagnostics` is empty.
std::string render_text(const std::vector<Diagnostic>& diagnostics, const SourceManager& sources,
                        const TextOptions& options);

/// render_text in steps, for diagnostics known in batches: the text of the first batch can be
/// made while the caller still does what may add the next (the command line writes its outputs
/// meanwhile). The text is the same as render_text's of all batches in order.
class TextRenderer {
 public:
  TextRenderer(const SourceManager& sources, const TextOptions& options)
      : sources_(sources), options_(options) {}

  /// Renders `diagnostics`, which follow those added before.
  void add(std::span<const Diagnostic> diagnostics);
  /// The text of every diagnostic added, then the lines render_text ends with.
  std::string finish() &&;

 private:
  const SourceManager& sources_;
  TextOptions options_;
  std::string text_;
  std::size_t errors_ = 0, warnings_ = 0, shown_errors_ = 0;
  std::size_t hidden_errors_ = 0, hidden_warnings_ = 0;
  bool any_located_ = false;
  bool cut_ = false;
};

/// `deployc: 2 errors, 1 warning`, `deployc: 1 error`, `deployc: 3 warnings` (no newline).
std::string summary_line(std::size_t errors, std::size_t warnings);

/// A JSON array, one object per diagnostic:
///   {"code","severity","message","file","line","column","end":{"line","column"},
///    "labels":[{"file","line","column","end","text","primary"}],"notes":[…],"help"}
/// `file`, `line`, `column` and `end` are null for a diagnostic without a location; `help` is
/// null when there is none.
std::string render_json(const std::vector<Diagnostic>& diagnostics, const SourceManager& sources);

/// A SARIF 2.1.0 log with one run: the tool's rules are every code of the registry.
std::string render_sarif(const std::vector<Diagnostic>& diagnostics, const SourceManager& sources,
                         std::string_view tool_version);

}  // namespace deployc::diag
