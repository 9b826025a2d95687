// What every compilation must guarantee, whatever bytes it is given. Shared by the robustness
// test (tests/robustness) and the libFuzzer targets (tests/fuzz), so both check the same thing:
//   - nothing escapes compile_text(), and no stage threw (compile_text reports a caught
//     exception as D0001 InternalError); crashes and hangs are the fuzzer's part;
//   - the result is either a success with outputs, or at least one error and no outputs;
//   - error_count agrees with the diagnostics, which are sorted and carry a non-empty message;
//   - every label span lies inside the file it names: begin <= end <= size;
//   - rendering the diagnostics (text, JSON, SARIF) does not throw;
//   - compiling the same input twice gives the same bytes and the same diagnostics.
#pragma once

#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

#include <fmt/format.h>

#include "diag/diagnostic.hpp"
#include "diag/render.hpp"
#include "driver/compile.hpp"

namespace deployc::testing {

/// The diagnostics as a user can ask for them (text without colour, JSON). SARIF is rendered
/// once per input by check_input: it carries the whole rule registry, so it is the slow one.
inline std::string render_diagnostics(const driver::CompileResult& result) {
  return diag::render_text(result.diagnostics, result.sources, diag::TextOptions{}) +
         diag::render_json(result.diagnostics, result.sources);
}

/// A deterministic dump of everything a compilation produced, for "compile twice" comparisons
/// and for failure messages.
inline std::string describe(const driver::CompileResult& result) {
  std::string out = fmt::format("errors={} ok={}\n", result.error_count, result.ok());
  for (const diag::Diagnostic& d : result.diagnostics) {
    out += fmt::format("{} {} {}\n", diag::info(d.code).id,
                       d.severity == diag::Severity::Error ? "error" : "warning", d.message);
    for (const diag::Label& label : d.labels) {
      std::string_view file = label.span.file.index < result.sources.file_count()
                                  ? result.sources.name(label.span.file)
                                  : std::string_view("<bad file id>");
      out += fmt::format("  label {}[{}..{}){} {}\n", file, label.span.begin, label.span.end,
                         label.primary ? " primary" : "", label.text);
    }
    for (const std::string& note : d.notes) out += fmt::format("  note {}\n", note);
    if (d.help) out += fmt::format("  help {}\n", *d.help);
  }
  if (result.files) {
    out += fmt::format("--- compose ({} bytes)\n{}", result.files->compose.size(),
                       result.files->compose);
    out += fmt::format("--- env example ({} bytes)\n{}", result.files->env_example.size(),
                       result.files->env_example);
    if (result.files->build) {
      out += fmt::format("--- build ({} bytes)\n{}", result.files->build->size(),
                         *result.files->build);
    }
  }
  return out;
}

/// Checks one result; returns a description of the first broken invariant.
inline std::optional<std::string> check_result(const driver::CompileResult& result) {
  std::size_t errors = 0;
  for (const diag::Diagnostic& d : result.diagnostics) {
    if (d.severity == diag::Severity::Error) ++errors;
  }
  if (errors != result.error_count) {
    return fmt::format("error_count is {} but {} diagnostics are errors", result.error_count,
                       errors);
  }
  if (result.error_count == 0 && !result.files) {
    return std::string("no error reported, yet no output files");
  }
  if (result.error_count > 0 && result.files) {
    return std::string("errors reported, yet output files were produced");
  }
  // Sorted as DiagnosticEngine::sorted() promises: file-less ones first, then (file, offset).
  std::tuple<unsigned, std::uint32_t, std::uint32_t> previous{0, 0, 0};
  for (const diag::Diagnostic& d : result.diagnostics) {
    // compile_text turns an exception from a stage into D0001: that is a crash, caught.
    if (d.code == diag::Code::InternalError) return fmt::format("internal error: {}", d.message);
    if (d.message.empty()) return fmt::format("{} has an empty message", diag::info(d.code).id);
    for (const diag::Label& label : d.labels) {
      if (label.span.file.index >= result.sources.file_count()) {
        return fmt::format("{}: label names file #{} of {}", diag::info(d.code).id,
                           label.span.file.index, result.sources.file_count());
      }
      std::size_t size = result.sources.text(label.span.file).size();
      if (!(label.span.begin <= label.span.end && label.span.end <= size)) {
        return fmt::format("{}: label span [{}, {}) outside `{}` of {} bytes",
                           diag::info(d.code).id, label.span.begin, label.span.end,
                           result.sources.name(label.span.file), size);
      }
    }
    const diag::Label* primary = d.primary();
    auto key = primary ? std::tuple(1u, primary->span.file.index, primary->span.begin)
                       : std::tuple(0u, std::uint32_t{0}, std::uint32_t{0});
    if (key < previous) return fmt::format("{} is out of order", diag::info(d.code).id);
    previous = key;
  }
  return std::nullopt;
}

/// Compiles `text` twice and checks every invariant above. `render_sarif` can be turned off
/// by the fuzzer for most inputs: a SARIF log costs several compilations.
inline std::optional<std::string> check_input(const std::string& name, const std::string& text,
                                              const driver::CompileOptions& options = {},
                                              bool render_sarif = true) {
  try {
    driver::CompileResult first = driver::compile_text(name, text, options);
    if (auto broken = check_result(first)) return broken;
    std::string first_rendered = render_diagnostics(first);
    if (render_sarif && diag::render_sarif(first.diagnostics, first.sources, "test").empty()) {
      return std::string("empty SARIF log");
    }
    driver::CompileResult second = driver::compile_text(name, text, options);
    if (describe(first) != describe(second) || first_rendered != render_diagnostics(second)) {
      return fmt::format("two compilations differ:\n{}\n--- versus ---\n{}", describe(first),
                         describe(second));
    }
  } catch (const std::exception& e) {
    return fmt::format("exception escaped: {}", e.what());
  } catch (...) {
    return std::string("non-standard exception escaped");
  }
  return std::nullopt;
}

}  // namespace deployc::testing
