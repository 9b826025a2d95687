// deployc as a library: compile a `.deploy` spec to its production Compose files in-process.
//
//   #include <deployc/deployc.hpp>
//
//   deployc::Options options;
//   options.defines.push_back({"include_sentry", "true"});
//   const deployc::Result result = deployc::compile_file("app.deploy", options);
//   if (!result.ok) { std::fputs(result.rendered.c_str(), stderr); return 1; }
//   for (const deployc::OutputFile& f : result.outputs) save(f.name, f.bytes);
//
// Contract: every function is a pure call from values to values. Nothing here prints, calls
// exit(), reads the process environment or keeps state between calls, so calls may run
// concurrently on different threads. Files are read only by compile_file (the spec and the
// modules it imports); nothing is ever written. The outputs are byte-for-byte the files
// `deployc build` writes. Only the standard library is needed to use this header.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace deployc {

/// The library's version, e.g. "0.1.0" (the same as `deployc --version`).
std::string_view version() noexcept;

/// A `-D name=value`: sets a `param` or a `flag` of the spec.
struct Define {
  std::string name;
  std::string value;
};

struct Options {
  std::vector<Define> defines;
  bool warnings_as_errors = false;  ///< `-Werror`
  /// `-Wno-Dnnnn`: warning codes such as "D0502" (an unknown code or an error's is ignored)
  std::vector<std::string> silenced;
  /// How the output files' header names the spec (`deployc build` uses its path relative to
  /// the output directory). Empty: the name the spec was compiled under.
  std::string spec_name_in_header;
  /// Read `std/` modules from this folder instead of the ones built into the library.
  std::optional<std::string> stdlib_dir;
  bool docs = false;   ///< also produce DEPLOYMENT.md
  bool color = false;  ///< ANSI colours in the rendered diagnostics
};

enum class Severity { Error, Warning };

/// 1-based line and byte column, as the command line prints them.
struct Position {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

/// A marked range of a file: the primary one is what the diagnostic is about.
struct Label {
  std::string file;
  Position begin;
  Position end;  ///< exclusive: just past the last character
  std::string text;
  bool primary = false;
};

struct Diagnostic {
  std::string code;  ///< stable, e.g. "D0501"
  Severity severity = Severity::Error;
  std::string message;
  /// Where the primary label is; empty file and zero positions when the diagnostic belongs to
  /// no file (an unreadable spec, an unknown -D name).
  std::string file;
  Position begin;
  Position end;
  std::vector<Label> labels;
  std::vector<std::string> notes;
  std::optional<std::string> help;
  std::string rendered;  ///< as `deployc` prints it: rustc style, with the source lines
};

/// One output file: its conventional name and its exact bytes.
struct OutputFile {
  std::string name;  ///< "compose.production.yml", ".env.production.example", …
  std::string bytes;
};

struct Result {
  bool ok = false;  ///< no errors: `outputs` holds every file
  /// compose.production.yml, .env.production.example, then compose.build.yml when a service
  /// builds an image and DEPLOYMENT.md when Options::docs; empty when there are errors.
  std::vector<OutputFile> outputs;
  std::vector<Diagnostic> diagnostics;  ///< sorted by file and position
  std::size_t errors = 0;
  std::size_t warnings = 0;
  /// Every `.deploy` file read from disk (the spec first, then its imports).
  std::vector<std::string> inputs;
  /// Every diagnostic rendered, then the summary line; empty when there are none.
  std::string rendered;

  /// The output named `name`, or nullptr.
  const OutputFile* output(std::string_view name) const noexcept {
    for (const OutputFile& file : outputs) {
      if (file.name == name) return &file;
    }
    return nullptr;
  }
};

/// Compiles `text` as if read from a file called `name` (used in diagnostics; imports are
/// resolved next to it).
Result compile_text(const std::string& name, const std::string& text, const Options& options = {});

/// Reads and compiles the spec at `path`. An unreadable file is a diagnostic (D0901), not an
/// exception.
Result compile_file(const std::string& path, const Options& options = {});

}  // namespace deployc
